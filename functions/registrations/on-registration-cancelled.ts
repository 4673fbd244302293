/**
 * RegistrationCancelled with a freed seat → the first on the waitlist gets it (idempotent).
 *
 * Each promotion is recorded on the cancelled registration in the same transaction, and the event for
 * every promotion recorded there is published (again) each time: a retry after a crash between the
 * promotion and its event still tells the promoted registrant, and the email ledger keeps it to one
 * email. Once the seminar has started, a freed seat is not given away.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { RegistrationCancelled, RegistrationPromoted } from '../../events/index.js';
import { promoteFromWaitlist, promotionsFor } from '../../shared/store/registrations.js';
import { getSeminar } from '../../shared/store/seminars.js';
import { publish } from '../../shared/aws/publisher.js';
import { now } from '../../shared/clock.js';

export const handler = async (event: EventBridgeEvent<string, unknown>) => {
  const d = RegistrationCancelled.schema.parse(event.detail);
  if (!d.freedSeat) return { promoted: 0 };
  const seminar = await getSeminar(d.seminarId, true);
  const at = now();
  let promotedNow: string[] = [];
  if (seminar && seminar.status === 'scheduled' && at.getTime() < Date.parse(seminar.start)) {
    promotedNow = (await promoteFromWaitlist(d.seminarId, { nowIso: at.toISOString(), causeId: d.registrationId })).map((r) => r.id);
  }
  // Those promoted now, and those recorded on the cancelled registration by an earlier attempt (an erased
  // registration is gone, so it has no record: its promotions are only in `promotedNow`).
  const promoted = [...new Set([...promotedNow, ...(await promotionsFor(d.seminarId, d.registrationId))])].sort();
  if (promoted.length) {
    await publish(...promoted.map((id) => ({ event: RegistrationPromoted, detail: { version: 1 as const, seminarId: d.seminarId, registrationId: id } })));
  }
  return { promoted: promoted.length };
};
