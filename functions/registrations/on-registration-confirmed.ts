/** RegistrationConfirmed → the confirmation email with its `.ics` invite (seat, digital, or waitlist place). */
import type { EventBridgeEvent } from 'aws-lambda';
import { RegistrationConfirmed } from '../../events/index.js';
import { getSeminar } from '../../shared/store/seminars.js';
import { getRegistration, waitlistPosition } from '../../shared/store/registrations.js';
import { emailRegistrant, streamingInfo } from './registrant-email.js';

export const handler = async (event: EventBridgeEvent<string, unknown>) => {
  const d = RegistrationConfirmed.schema.parse(event.detail);
  const [seminar, r] = await Promise.all([getSeminar(d.seminarId, true), getRegistration(d.seminarId, d.registrationId)]);
  if (!seminar || !r || r.status !== 'confirmed') return;
  const outcome =
    d.outcome === 'physical'
      ? ({ kind: 'physical' } as const)
      : d.outcome === 'waitlisted'
        ? ({ kind: 'waitlisted', position: Math.max(1, await waitlistPosition(r)), ...streamingInfo(seminar) } as const)
        : ({ kind: 'digital', because: r.requestedMode === 'physical' ? ('full' as const) : undefined, ...streamingInfo(seminar) } as const);
  return emailRegistrant(seminar, r, 'registration-confirmed', { kind: 'registration-confirmed', name: r.name, outcome, calendarAttached: true }, { invite: 'REQUEST' });
};
