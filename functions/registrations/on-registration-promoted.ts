/** RegistrationPromoted → "you have a seat" with an updated `.ics`. */
import type { EventBridgeEvent } from 'aws-lambda';
import { RegistrationPromoted } from '../../events/index.js';
import { getSeminarAndRegistration } from '../../shared/store/registrations.js';
import { emailRegistrant, registrationKind } from './registrant-email.js';

export const handler = async (event: EventBridgeEvent<string, unknown>) => {
  const d = RegistrationPromoted.schema.parse(event.detail);
  const { seminar, registration: r } = await getSeminarAndRegistration(d.seminarId, d.registrationId);
  if (!seminar || !r || r.status !== 'confirmed' || r.attendance !== 'physical') return;
  return emailRegistrant(seminar, r, registrationKind('waitlist-promoted', r), { kind: 'waitlist-promoted', name: r.name, calendarAttached: true }, { invite: 'REQUEST' });
};
