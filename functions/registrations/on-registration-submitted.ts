/**
 * RegistrationSubmitted → the confirm-your-address email; for a repeated submission, an email to that
 * address saying what it already has (the page never reveals it).
 */
import { RegistrationSubmitted } from '../../events/index.js';
import { onEvent } from '../../shared/aws/on-event.js';
import { getSeminarAndRegistration, waitlistPosition } from '../../shared/store/registrations.js';
import { linkFor, registrationSub } from '../../shared/links.js';
import { emailRegistrant } from '../../shared/email/registrant-email.js';
import { registrationKind } from '../../shared/email/ledger-kinds.js';
import { logger } from '../../shared/log.js';
import { attendsOnline } from '../../shared/domain/registration-lifecycle.js';

export const handler = onEvent(RegistrationSubmitted, async (d, ctx) => {
  const { seminar, registration: r } = await getSeminarAndRegistration(d.seminarId, d.registrationId);
  if (!seminar || !r) {
    logger.warn('RegistrationSubmitted for unknown data', { seminarId: d.seminarId });
    return;
  }
  if (!d.duplicate) {
    if (!seminar.doubleOptIn || r.status !== 'pending') return; // nothing to confirm
    const confirmUrl = await linkFor('confirm-registration', registrationSub(seminar.id, r.id), r.language);
    return emailRegistrant(seminar, r, registrationKind('confirm-address', r), { kind: 'confirm-registration', name: r.name, mode: r.requestedMode, confirmUrl });
  }
  // One "already registered" email per submission event (a redelivered event has the same id).
  if (r.status === 'pending') {
    const confirmUrl = await linkFor('confirm-registration', registrationSub(seminar.id, r.id), r.language);
    return emailRegistrant(seminar, r, `confirm-address-again-${ctx.eventId}`, { kind: 'confirm-registration', name: r.name, mode: r.requestedMode, confirmUrl });
  }
  return emailRegistrant(seminar, r, `already-registered-${ctx.eventId}`, {
    kind: 'already-registered',
    name: r.name,
    attendance: r.status === 'confirmed' ? r.attendance : undefined,
    waitlistPosition: r.attendance === 'waitlisted' ? await waitlistPosition(r) : undefined,
    online: attendsOnline(r),
  });
});
