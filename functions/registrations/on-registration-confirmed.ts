/** RegistrationConfirmed → the confirmation email with its `.ics` invite (seat, digital, or waitlist place). */
import type { EventBridgeEvent } from 'aws-lambda';
import { RegistrationConfirmed } from '../../events/index.js';
import { getSeminarAndRegistration, waitlistPosition } from '../../shared/store/registrations.js';
import { emailRegistrant, registrationKind, streamingInfo } from './registrant-email.js';
import { attendsOnline, confirmationHasInvite } from '../../shared/domain/registration-lifecycle.js';

export const handler = async (event: EventBridgeEvent<string, unknown>) => {
  const d = RegistrationConfirmed.schema.parse(event.detail);
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
};
