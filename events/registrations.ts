import * as z from 'zod/mini';
import { Id } from '../shared/domain/primitives.js';
import { defineEvent, Sources, V1 } from './define.js';

export const RegistrationSubmitted = defineEvent({
  detailType: 'RegistrationSubmitted',
  source: Sources.registrations,
  description:
    'Someone submitted the registration form. `duplicate` is true when the address already had a registration: the handler then tells the address what it already has instead of asking it to confirm.',
  schema: () => z.object({ version: V1, seminarId: Id, registrationId: Id, duplicate: z.boolean() }),
});

export const RegistrationRefused = defineEvent({
  detailType: 'RegistrationRefused',
  source: Sources.registrations,
  description:
    "A submission was refused by the seminar's private invitation list. The submitter got the answer of any submission; the handler sends the refusal to the address by email, once per address and seminar. The refusal (`refusalId`) holds the address, never the event.",
  schema: () => z.object({ version: V1, seminarId: Id, refusalId: Id }),
});

export const RegistrationConfirmed = defineEvent({
  detailType: 'RegistrationConfirmed',
  source: Sources.registrations,
  description:
    'A registrant confirmed the address; the outcome is a physical seat, digital attendance, or digital attendance plus a waitlist place. `waitlistPosition` is the place the registrant was given (and shown) on confirming; absent in events from before it was added.',
  schema: () => z.object({
    version: V1,
    seminarId: Id,
    registrationId: Id,
    outcome: z.enum(['physical', 'digital', 'waitlisted']),
    waitlistPosition: z.optional(z.int().check(z.positive())),
  }),
});

export const RegistrationCancelled = defineEvent({
  detailType: 'RegistrationCancelled',
  source: Sources.registrations,
  description: 'A registration was cancelled; `freedSeat` is true when a physical seat became free.',
  schema: () => z.object({ version: V1, seminarId: Id, registrationId: Id, freedSeat: z.boolean() }),
});

export const RegistrationPromoted = defineEvent({
  detailType: 'RegistrationPromoted',
  source: Sources.registrations,
  description: 'The first on the waitlist was given a freed physical seat.',
  schema: () => z.object({ version: V1, seminarId: Id, registrationId: Id }),
});
