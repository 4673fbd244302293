/** RegistrationCancelled with a freed seat → the first on the waitlist gets it (idempotent). */
import type { EventBridgeEvent } from 'aws-lambda';
import { RegistrationCancelled, RegistrationPromoted } from '../../events/index.js';
import { promoteFromWaitlist } from '../../shared/store/registrations.js';
import { publish } from '../../shared/aws/publisher.js';

export const handler = async (event: EventBridgeEvent<string, unknown>) => {
  const d = RegistrationCancelled.schema.parse(event.detail);
  if (!d.freedSeat) return { promoted: 0 };
  const promoted = await promoteFromWaitlist(d.seminarId);
  if (promoted.length) {
    await publish(...promoted.map((r) => ({ event: RegistrationPromoted, detail: { version: 1 as const, seminarId: d.seminarId, registrationId: r.id } })));
  }
  return { promoted: promoted.length };
};
