/**
 * The domain's things: the records the store keeps, and the schema building blocks the request bodies
 * are made of (request bodies: shared/domain/public-inputs.ts for the public API, admin-inputs.ts for
 * the admin API). No request-body schema is built here, so that a function that only needs the types
 * and the blocks does not build the others' schemas at start.
 */
import * as z from 'zod/mini';
import type { SeminarInput } from './admin-inputs.js';
import { Id, IsoTime, Language } from '../../events/define.js';

export { Id, IsoTime, Language };

/** Required text, trimmed, at most `max` characters. */
export const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
/** An array of at most `max` items, empty when left out. */
export const list = <T extends z.ZodMiniType>(item: T, max: number) => z._default(z.array(item).check(z.maxLength(max)), []);

export const Email = z.pipe(
  z.pipe(z.string().check(z.trim(), z.maxLength(254)), z.email({ message: 'a valid email address' })),
  z.transform((e: string) => e.toLowerCase()),
);

export type SeminarStatus = 'draft' | 'scheduled' | 'cancelled';

export interface Seminar extends SeminarInput {
  id: string;
  status: SeminarStatus;
  /** Physical seats taken; never above capacity (conditional write). */
  seatsTaken: number;
  recordingUrl?: string;
  /** Set when the streaming link went out; later confirmations get it at once. */
  streamingLinkSentAt?: string;
  /** The reminder offsets that have schedules (so that a removed offset's schedule is deleted). */
  scheduledReminderOffsets?: number[];
  /** Bumped on every change that registrants see; the .ics SEQUENCE. */
  sequence: number;
  /** Waitlist tickets handed out, and ticketed registrations that left the list (shared/domain/registration-lifecycle.ts). */
  waitlistTickets?: number;
  waitlistLeft?: number;
  createdAt: string;
  updatedAt: string;
}

export type RegistrationStatus = 'pending' | 'confirmed' | 'cancelled';
export type Attendance = 'physical' | 'digital' | 'waitlisted';

export interface Registration {
  id: string;
  seminarId: string;
  email: string;
  name: string;
  organisation: string;
  /** What the registrant asked for. */
  requestedMode: 'physical' | 'digital';
  digitalIfFull: boolean;
  joinWaitlist: boolean;
  language: 'nb' | 'en';
  status: RegistrationStatus;
  /** What the registrant has, once confirmed. Waitlisted registrants attend digitally meanwhile. */
  attendance?: Attendance;
  submittedAt: string;
  confirmedAt?: string;
  cancelledAt?: string;
  /** Set when a waitlisted registrant was given a freed seat. */
  promotedAt?: string;
  /** Waitlisted: attends online while waiting (false: asked for the waitlist only). */
  digitalWhileWaiting?: boolean;
  /** Waitlisted: the ticket (order of the list) and the place it had when it joined. */
  waitlistTicket?: number;
  waitlistPlace?: number;
  /** Attends online though a seat was asked for: the seats were full, or physical registration had closed. */
  digitalBecause?: 'full' | 'closed';
  /** Why it was cancelled: `full` when nothing asked for was left at confirmation. */
  cancelReason?: 'full' | 'closed';
  /** The registrant stopped further emails about the seminar (after its start); the registration stands. */
  emailsStoppedAt?: string;
  /** The cancelled registration of the same address that this one replaced (registered again). */
  replaces?: string;
}
