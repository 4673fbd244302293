/** RegistrationConfirmed → the confirmation email with its `.ics` invite (seat, digital, or waitlist place). */
import type { EventBridgeEvent } from 'aws-lambda';
import { RegistrationConfirmed } from '../../events/index.js';
import { getSeminarAndRegistration, waitlistPosition } from '../../shared/store/registrations.js';
import { emailRegistrant, registrationKind, streamingInfo } from './registrant-email.js';
import type { Seminar } from '../../shared/domain/model.js';

export const handler = async (event: EventBridgeEvent<string, unknown>) => {
  const d = RegistrationConfirmed.schema.parse(event.detail);
  const { seminar, registration: r } = await getSeminarAndRegistration(d.seminarId, d.registrationId);
  if (!seminar || !r || r.status !== 'confirmed') return;
  // What the registration has now: a waitlisted registrant may already have been promoted to a seat.
  const current = r.attendance ?? d.outcome;
  const outcome =
    current === 'physical'
      ? ({ kind: 'physical' } as const)
      : current === 'waitlisted'
        ? ({ kind: 'waitlisted', position: d.outcome === 'waitlisted' && d.waitlistPosition ? d.waitlistPosition : Math.max(1, await waitlistPosition(r)), ...streamingInfo(seminar) } as const)
        : ({ kind: 'digital', because: r.requestedMode === 'physical' ? physicalReason(seminar) : undefined, ...streamingInfo(seminar) } as const);
  return emailRegistrant(seminar, r, registrationKind('registration-confirmed', r), { kind: 'registration-confirmed', name: r.name, outcome, calendarAttached: true }, { invite: 'REQUEST' });
};

/** Why a registrant who asked for a seat attends online: the seats ran out, or physical registration closed. */
function physicalReason(s: Seminar): 'full' | 'closed' {
  return s.capacity > 0 && s.seatsTaken >= s.capacity ? 'full' : 'closed';
}
