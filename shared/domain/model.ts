/**
 * The domain's records: what the store keeps of a seminar and a registration, each field written out
 * (funding schemes, their rounds and subscriptions: funding.ts). The admin API's request bodies
 * (admin-inputs.ts) are checked against the editable fields here at compile time, so a body and its
 * record cannot drift; the records depend on no request body. Types only: nothing is built at import.
 */
import type { Email, Id, IsoTime, Lang } from './primitives.js';

export type SeminarKind = 'seminar' | 'breakfast-seminar' | 'guidance-session' | 'pitch' | 'gathering';

export interface Speaker {
  name: string;
  title?: string;
  organisation?: string;
}

export interface ProgramItem {
  /** HH:MM Oslo time. */
  start: string;
  end?: string;
  title: string;
  speakers: Speaker[];
  slidesUrl?: string;
}

export interface Venue {
  name: string;
  address?: string;
  room?: string;
}

export interface Contact {
  name: string;
  title?: string;
  phone?: string;
  email?: Email;
}

/** Who may register: everyone, or partner organisations by email domain (subdomains too) and invited addresses. */
export type EligibilityRule =
  | { kind: 'open' }
  | {
      kind: 'restricted';
      domains: string[];
      invited: Email[];
      /** The rule in plain words, shown to whoever is refused. */
      description?: Record<Lang, string>;
    };

/** A seminar's fields that an admin sets (the body of `POST /admin/seminars`, parsed: admin-inputs.ts). */
export interface SeminarFields {
  title: string;
  description: string;
  kind: SeminarKind;
  /** The series it belongs to (shared/domain/series.ts). */
  seriesId?: Id;
  seriesTitle?: string;
  seriesTitleEn?: string;
  /** For a scheme round's sessions (guidance-session, pitch): the scheme and the deadline (round). */
  schemeId?: Id;
  deadlineId?: Id;
  start: IsoTime;
  end: IsoTime;
  /** Doors open / breakfast served, HH:MM Oslo time. */
  doorsOpen?: string;
  venue?: Venue;
  program: ProgramItem[];
  speakers: Speaker[];
  contacts: Contact[];
  /** Physical seats; 0 means digital only. */
  capacity: number;
  livestream: boolean;
  physicalDeadline?: IsoTime;
  digitalDeadline?: IsoTime;
  /** Registration open per mode (admins can close one mode by hand). */
  physicalOpen: boolean;
  digitalOpen: boolean;
  eligibility: EligibilityRule;
  /** Double opt-in: registrants confirm their address before they count. */
  doubleOptIn: boolean;
  streamingUrl?: string;
  /** Minutes before the start at which reminders go out. */
  reminderOffsetsMinutes: number[];
  /** Minutes before the start at which the streaming link goes out. */
  streamingLinkOffsetMinutes: number;
  language: Lang;
}

export type SeminarStatus = 'draft' | 'scheduled' | 'cancelled';

export interface Seminar extends SeminarFields {
  id: Id;
  status: SeminarStatus;
  /** Physical seats taken; never above capacity (conditional write). */
  seatsTaken: number;
  recordingUrl?: string;
  /** The recording URL the current one corrected (set when a published recording was replaced): its emails say so. */
  correctedRecordingUrl?: string;
  /** The admin's words on cancelling (the cancellation notice quotes them from here, never from the event). */
  cancellationReason?: string;
  /** Set when the streaming link went out; later confirmations get it at once. */
  streamingLinkSentAt?: IsoTime;
  /** The reminder offsets that have schedules (so that a removed offset's schedule is deleted). */
  scheduledReminderOffsets?: number[];
  /** The last move of the start: where from, and the SEQUENCE it made (written by the update route). */
  lastMove?: { from: IsoTime; sequence: number };
  /** Bumped on every change that registrants see; the .ics SEQUENCE. */
  sequence: number;
  /** Waitlist tickets handed out, and ticketed registrations that left the list (shared/domain/registration-lifecycle.ts). */
  waitlistTickets?: number;
  waitlistLeft?: number;
  createdAt: IsoTime;
  updatedAt: IsoTime;
}

export type RegistrationStatus = 'pending' | 'confirmed' | 'cancelled';
export type Attendance = 'physical' | 'digital' | 'waitlisted';

export interface Registration {
  id: Id;
  seminarId: Id;
  email: Email;
  name: string;
  organisation: string;
  /** What the registrant asked for. */
  requestedMode: 'physical' | 'digital';
  digitalIfFull: boolean;
  joinWaitlist: boolean;
  language: Lang;
  status: RegistrationStatus;
  /** What the registrant has, once confirmed. Waitlisted registrants attend digitally meanwhile. */
  attendance?: Attendance;
  submittedAt: IsoTime;
  confirmedAt?: IsoTime;
  cancelledAt?: IsoTime;
  /** Set when a waitlisted registrant was given a freed seat. */
  promotedAt?: IsoTime;
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
  emailsStoppedAt?: IsoTime;
  /** The cancelled registration of the same address that this one replaced (registered again). */
  replaces?: Id;
}

/**
 * A submission refused by a seminar's private invitation list (`checkEligibility`: `by-email`): kept so that
 * the refusal email can be sent to the address (the event names only this id), one per address and seminar
 * (the first submission's), expiring with the seminar's personal data.
 */
export interface RegistrationRefusal {
  id: Id;
  seminarId: Id;
  email: Email;
  name: string;
  language: Lang;
  refusedAt: IsoTime;
}
