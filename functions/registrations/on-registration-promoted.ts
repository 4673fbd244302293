/** RegistrationPromoted → "you have a seat" with an updated `.ics`. */
import { RegistrationPromoted } from '../../events/index.js';
import { onEvent } from '../../shared/aws/on-event.js';
import { getSeminarAndRegistration } from '../../shared/store/registrations.js';
import { emailRegistrant } from '../../shared/email/registrant-email.js';
import { registrationKind } from '../../shared/email/ledger-kinds.js';

export const handler = onEvent(RegistrationPromoted, async (d) => {
  const { seminar, registration: r } = await getSeminarAndRegistration(d.seminarId, d.registrationId);
  if (!seminar || !r || r.status !== 'confirmed' || r.attendance !== 'physical') return;
  return emailRegistrant(seminar, r, registrationKind('waitlist-promoted', r), { kind: 'waitlist-promoted', name: r.name, calendarAttached: true }, { invite: 'REQUEST' });
});
