/** RegistrationConfirmed → the confirmation email with its `.ics` invite (seat, digital, or waitlist place). */
import { RegistrationConfirmed } from '../../events/index.js';
import { onEvent } from '../../shared/aws/on-event.js';
import { getSeminarAndRegistration, waitlistPosition } from '../../shared/store/registrations.js';
import { emailRegistrant, streamingInfo } from '../../shared/email/registrant-email.js';
import { registrationKind } from '../../shared/email/ledger-kinds.js';
import { attendsOnline, confirmationHasInvite } from '../../shared/domain/registration-lifecycle.js';

export const handler = onEvent(RegistrationConfirmed, async (d) => {
  const { seminar, registration: r } = await getSeminarAndRegistration(d.seminarId, d.registrationId);
  if (!seminar || !r || r.status !== 'confirmed' || !r.attendance) return;
  // What the registration has now (a waitlisted registrant may already have been promoted to a seat),
  // and the place its join wrote: the real place at that moment, the one the confirm page showed.
  const outcome =
    r.attendance === 'physical'
      ? ({ kind: 'physical' } as const)
      : r.attendance === 'waitlisted'
        ? ({ kind: 'waitlisted', position: r.waitlistPlace ?? Math.max(1, await waitlistPosition(r)), online: attendsOnline(r), ...streamingInfo(seminar) } as const)
        : ({ kind: 'digital', because: r.digitalBecause, ...streamingInfo(seminar) } as const);
  const invite = confirmationHasInvite(r);
  return emailRegistrant(seminar, r, registrationKind('registration-confirmed', r), { kind: 'registration-confirmed', name: r.name, outcome, calendarAttached: invite }, invite ? { invite: 'REQUEST' } : {});
});
