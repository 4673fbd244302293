/**
 * The domain's things, as zod schemas. The admin API validates against these, the OpenAPI document is
 * generated from them, and the store keeps them as they are.
 */
import * as z from 'zod/mini';
import { Id, IsoTime, Language } from '../../events/define.js';

export { Id, IsoTime, Language };

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));
/** Optional free text, trimmed. */
const optionalText = (max: number) => z.optional(z.string().check(z.trim(), z.maxLength(max)));
const HH_MM = () => z.string().check(z.regex(/^\d{2}:\d{2}$/, 'HH:MM in Oslo time'));
/**
 * A person's name or organisation: one line. Line breaks, tabs and other control characters become a
 * single space (they have no place in a name, and a name goes into email texts and the CSV).
 */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
const oneLine = (max: number, min = 0) =>
  z.pipe(
    z.pipe(z.string(), z.transform((v: string) => v.replace(CONTROLS, ' ').replace(/ {2,}/g, ' ').trim())),
    z.string().check(z.minLength(min), z.maxLength(max)),
  );
const emailDomain = z.string().check(z.trim(), z.toLowerCase(), z.regex(/^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/, 'a domain such as dfo.no'));
/** An array of at most `max` items, empty when left out. */
export const list = <T extends z.ZodMiniType>(item: T, max: number) => z._default(z.array(item).check(z.maxLength(max)), []);

export const Email = z.pipe(
  z.pipe(z.string().check(z.trim(), z.maxLength(254)), z.email({ message: 'a valid email address' })),
  z.transform((e: string) => e.toLowerCase()),
);

export const Speaker = z.object({
  name: text(200),
  title: optionalText(300),
  organisation: optionalText(300),
});

export const ProgramItem = z.object({
  start: HH_MM(),
  end: z.optional(HH_MM()),
  title: text(500),
  speakers: list(Speaker, 20),
  slidesUrl: z.optional(z.url()),
});

export const Venue = z.object({
  name: text(300),
  address: optionalText(500),
  room: optionalText(300),
});

export const Eligibility = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('open') }),
  z.object({
    kind: z.literal('restricted'),
    /** Partner organisations by email domain; subdomains are included. */
    domains: list(emailDomain, 500),
    /** Specially invited addresses. */
    invited: list(Email, 5000),
    /** The rule in plain words, shown to whoever is refused (nb and en). */
    description: z.optional(z.object({ nb: text(1000), en: text(1000) })),
  }),
]);

export const Contact = z.object({
  name: text(200),
  title: optionalText(200),
  phone: optionalText(50),
  email: z.optional(Email),
});

export const SeminarKind = z.enum(['seminar', 'breakfast-seminar', 'guidance-session', 'pitch', 'gathering']);
export const SeminarStatus = z.enum(['draft', 'scheduled', 'cancelled']);

/** What an admin sends to create or replace a seminar. */
export const SeminarInput = z
  .object({
    title: text(300),
    description: z._default(z.string().check(z.trim(), z.maxLength(20000)), ''),
    kind: z._default(SeminarKind, 'seminar'),
    /** The series it belongs to, e.g. "partnerforum-samordning"; people can subscribe to a series' new seminars. */
    seriesId: z.optional(Id),
    /**
     * The series' name as emails and pages show it, e.g. "Partnerforums seminarserie om samordning" (and in
     * English, if it differs). Give the same on every seminar of the series; without it the seriesId is
     * shown humanised ("Partnerforum samordning"). See shared/domain/series.ts.
     */
    seriesTitle: z.optional(text(300)),
    seriesTitleEn: z.optional(text(300)),
    /** For guidance sessions: the scheme and deadline (round) they belong to. */
    schemeId: z.optional(Id),
    deadlineId: z.optional(Id),
    start: IsoTime,
    end: IsoTime,
    /** Doors open / breakfast served, HH:MM Oslo time. */
    doorsOpen: z.optional(HH_MM()),
    venue: z.optional(Venue),
    program: list(ProgramItem, 100),
    speakers: list(Speaker, 100),
    contacts: list(Contact, 20),
    /** Physical seats; 0 means digital only. */
    capacity: z.number().check(z.int(), z.gte(0), z.lte(100000)),
    livestream: z._default(z.boolean(), true),
    physicalDeadline: z.optional(IsoTime),
    digitalDeadline: z.optional(IsoTime),
    /** Registration open per mode (admins can close one mode by hand). */
    physicalOpen: z._default(z.boolean(), true),
    digitalOpen: z._default(z.boolean(), true),
    eligibility: z._default(Eligibility, { kind: 'open' }),
    /** Double opt-in: registrants confirm their address before they count. */
    doubleOptIn: z._default(z.boolean(), true),
    streamingUrl: z.optional(z.url()),
    /** Minutes before the start at which reminders go out; default one day. */
    reminderOffsetsMinutes: z._default(z.array(z.number().check(z.int(), z.gte(5), z.lte(60 * 24 * 60))).check(z.maxLength(10)), [24 * 60]),
    /** Minutes before the start at which the streaming link goes out; default 2 hours. */
    streamingLinkOffsetMinutes: z._default(z.number().check(z.int(), z.gte(1), z.lte(60 * 24 * 14)), 120),
    language: z._default(Language, 'nb'),
  })
  .check(z.superRefine((s, ctx) => {
    if ((s.seriesTitle !== undefined || s.seriesTitleEn !== undefined) && s.seriesId === undefined) {
      ctx.addIssue({ code: 'custom', path: [s.seriesTitle !== undefined ? 'seriesTitle' : 'seriesTitleEn'], message: 'needs a seriesId' });
    }
    if (Date.parse(s.end) <= Date.parse(s.start)) {
      ctx.addIssue({ code: 'custom', path: ['end'], message: 'must be after start' });
    }
    for (const [field, value] of [
      ['physicalDeadline', s.physicalDeadline],
      ['digitalDeadline', s.digitalDeadline],
    ] as const) {
      if (value && Date.parse(value) > Date.parse(s.end)) {
        ctx.addIssue({ code: 'custom', path: [field], message: 'must not be after the end of the seminar' });
      }
    }
  }));
export type SeminarInput = z.output<typeof SeminarInput>;

export interface Seminar extends SeminarInput {
  id: string;
  status: z.output<typeof SeminarStatus>;
  /** Physical seats taken; never above capacity (conditional write). */
  seatsTaken: number;
  recordingUrl?: string;
  /** Set when the streaming link went out; later confirmations get it at once. */
  streamingLinkSentAt?: string;
  /** The reminder offsets that have schedules (so that a removed offset's schedule is deleted). */
  scheduledReminderOffsets?: number[];
  /** Bumped on every change that registrants see; the .ics SEQUENCE. */
  sequence: number;
  createdAt: string;
  updatedAt: string;
}

export const RegistrationMode = z.enum(['physical', 'digital']);

export const RegistrationInput = z.object({
  email: Email,
  name: oneLine(200, 1),
  organisation: z._default(oneLine(300), ''),
  mode: RegistrationMode,
  digitalIfFull: z._default(z.boolean(), false),
  joinWaitlist: z._default(z.boolean(), false),
  language: z._default(Language, 'nb'),
});
export type RegistrationInput = z.output<typeof RegistrationInput>;

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
  /** The cancelled registration of the same address that this one replaced (registered again). */
  replaces?: string;
}
