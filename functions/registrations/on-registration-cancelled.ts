/**
 * RegistrationCancelled → a freed seat goes to the first on the waitlist (idempotent), and a registrant
 * who cancelled gets a receipt with the `.ics` that removes the event (once: the email ledger).
 *
 * Each promotion is recorded on the cancelled registration in the same transaction, and the event for
 * every promotion recorded there is published (again) each time: a retry after a crash between the
 * promotion and its event still tells the promoted registrant, and the email ledger keeps it to one
 * email. Once the seminar has started, a freed seat is not given away.
 *
 * The receipt goes by what is stored, not by the event: only to a registration stored as cancelled by
 * its registrant (not one refused at confirmation because nothing was left: `cancelReason`), and not to
 * an erased one (it is gone). Its ledger kind follows the registration (`registrationKind`), so a later
 * registration of the same address that is cancelled again gets its own receipt.
 */
import { RegistrationCancelled, RegistrationPromoted } from '../../events/index.js';
import { onEvent } from '../../shared/aws/on-event.js';
import { getSeminarAndRegistration, promoteFromWaitlist, promotionsFor } from '../../shared/store/registrations.js';
import { getSeminar } from '../../shared/store/seminars.js';
import { cancelledByRegistrant, inviteSent, promotionAllowed, registrationOpen, registrationState } from '../../shared/domain/registration-lifecycle.js';
import type { Seminar } from '../../shared/domain/model.js';
import { publish } from '../../shared/aws/publisher.js';
import { now } from '../../shared/clock.js';
import { registerPageUrl } from '../../shared/links.js';
import { emailRegistrant } from '../../shared/email/registrant-email.js';
import { registrationKind } from '../../shared/email/ledger-kinds.js';

export const handler = onEvent(RegistrationCancelled, async (d) => {
  // The seat first: it matters to someone else, and a failed receipt retries the whole event (both are idempotent).
  const promoted = d.freedSeat ? await promote(d) : 0;
  const receipt = await sendReceipt(d.seminarId, d.registrationId);
  return { promoted, receipt };
});

async function promote(d: { seminarId: string; registrationId: string }): Promise<number> {
  const seminar = await getSeminar(d.seminarId, true);
  const at = now();
  let promotedNow: string[] = [];
  if (seminar && promotionAllowed(seminar, at)) {
    promotedNow = (await promoteFromWaitlist(d.seminarId, { nowIso: at.toISOString(), causeId: d.registrationId })).map((r) => r.id);
  }
  // Those promoted now, and those recorded on the cancelled registration by an earlier attempt (an erased
  // registration is gone, so it has no record: its promotions are only in `promotedNow`).
  const promoted = [...new Set([...promotedNow, ...(await promotionsFor(d.seminarId, d.registrationId))])].sort();
  if (promoted.length) {
    await publish(...promoted.map((id) => ({ event: RegistrationPromoted, detail: { version: 1 as const, seminarId: d.seminarId, registrationId: id } })));
  }
  return promoted.length;
}

async function sendReceipt(seminarId: string, registrationId: string) {
  const { seminar, registration: r } = await getSeminarAndRegistration(seminarId, registrationId);
  if (!seminar || !cancelledByRegistrant(r)) return 'none';
  // An invite went out with the confirmation: the CANCEL removes it from the calendar (same UID, higher SEQUENCE).
  const hadInvite = inviteSent(r);
  return emailRegistrant(
    seminar,
    r,
    registrationKind('registration-cancelled', r),
    { kind: 'registration-cancelled', name: r.name, registerUrl: registerPageUrl(seminar.id, r.language), registrationOpen: registrationOpenFor(seminar), calendarAttached: hadInvite },
    hadInvite ? { invite: 'CANCEL', byRegistrant: true } : {},
  );
}

function registrationOpenFor(s: Seminar): boolean {
  return registrationOpen(registrationState(s, now()));
}
