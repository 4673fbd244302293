/**
 * RegistrationSubmitted → the confirm-your-address email; for a repeated submission, an email to that
 * address saying what it already has (the page never reveals it). RegistrationRefused → the refusal by the
 * invitation list, once per address and seminar (the page answered as for any submission).
 */
import { RegistrationRefused, RegistrationSubmitted } from '../../events/index.js';
import { on, onEvents } from '../../shared/aws/on-event.js';
import { getSeminar } from '../../shared/store/seminars.js';
import { getRefusal } from '../../shared/store/refusals.js';
import { checkEligibility } from '../../shared/domain/eligibility.js';
import { registerPageUrl } from '../../shared/links.js';
import { REGISTRATION_REFUSED_KIND } from '../../shared/email/ledger-kinds.js';
import { sendWithRetry } from '../../shared/email/mailer.js';
import { renderEmail } from '../../shared/email/templates.js';
import { expiresAfter } from '../../shared/retention.js';
import { config } from '../../shared/config.js';
import { getSeminarAndRegistration, waitlistPosition } from '../../shared/store/registrations.js';
import { linkFor, registrationSub } from '../../shared/links.js';
import { emailRegistrant } from '../../shared/email/registrant-email.js';
import { registrationKind } from '../../shared/email/ledger-kinds.js';
import { logger } from '../../shared/log.js';
import { attendsOnline } from '../../shared/domain/registration-lifecycle.js';

const submitted = on(RegistrationSubmitted, async (d, ctx) => {
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

/** The refusal as stored, to the address it holds; none if the address may register by now (invited since). */
const refused = on(RegistrationRefused, async (d) => {
  const [seminar, refusal] = await Promise.all([getSeminar(d.seminarId, true), getRefusal(d.seminarId, d.refusalId)]);
  if (!seminar || !refusal) {
    logger.warn('RegistrationRefused for unknown data', { seminarId: d.seminarId });
    return;
  }
  if (checkEligibility(seminar.eligibility, refusal.email).eligible) {
    logger.info('RegistrationRefused for an address the seminar now takes: no refusal sent', { seminarId: seminar.id });
    return;
  }
  const lang = refusal.language;
  return sendWithRetry({
    subject: seminar.id,
    kind: REGISTRATION_REFUSED_KIND,
    to: refusal.email,
    expiresAt: expiresAfter(seminar.end),
    prepare: () => ({
      content: renderEmail({ kind: 'registration-refused', organiser: config().senderName, name: refusal.name, seminar, seminarUrl: registerPageUrl(seminar.id, lang) }, lang),
    }),
  });
});

export const handler = onEvents(submitted, refused);
