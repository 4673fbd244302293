/**
 * The domain's things, as zod schemas. The admin API validates against these, the OpenAPI document is
 * generated from them, and the store keeps them as they are.
 */
import * as z from 'zod';
import { Id, IsoTime, Language } from '../../events/define.js';

export { Id, IsoTime, Language };

const text = (max: number) => z.string().trim().min(1).max(max);
/**
 * A person's name or organisation: one line. Line breaks, tabs and other control characters become a
 * single space (they have no place in a name, and a name goes into email texts and the CSV).
 */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
const oneLine = (max: number, min = 0) =>
  z
    .string()
    .transform((v) => v.replace(CONTROLS, ' ').replace(/ {2,}/g, ' ').trim())
    .pipe(z.string().min(min).max(max));
const emailDomain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/, 'a domain such as dfo.no');

export const Email = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: 'a valid email address' }))
  .transform((e) => e.toLowerCase());

export const Speaker = z.object({
  name: text(200),
  title: z.string().trim().max(300).optional(),
  organisation: z.string().trim().max(300).optional(),
});

export const ProgramItem = z.object({
  start: z.string().regex(/^\d{2}:\d{2}$/, 'HH:MM in Oslo time'),
  end: z.string().regex(/^\d{2}:\d{2}$/, 'HH:MM in Oslo time').optional(),
  title: text(500),
  speakers: z.array(Speaker).max(20).default([]),
  slidesUrl: z.url().optional(),
});

export const Venue = z.object({
  name: text(300),
  address: z.string().trim().max(500).optional(),
  room: z.string().trim().max(300).optional(),
});

export const Eligibility = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('open') }),
  z.object({
    kind: z.literal('restricted'),
    /** Partner organisations by email domain; subdomains are included. */
    domains: z.array(emailDomain).max(500).default([]),
    /** Specially invited addresses. */
    invited: z.array(Email).max(5000).default([]),
    /** The rule in plain words, shown to whoever is refused (nb and en). */
    description: z.object({ nb: text(1000), en: text(1000) }).optional(),
  }),
]);

export const Contact = z.object({
  name: text(200),
  title: z.string().trim().max(200).optional(),
  phone: z.string().trim().max(50).optional(),
  email: Email.optional(),
});

export const SeminarKind = z.enum(['seminar', 'breakfast-seminar', 'guidance-session', 'pitch', 'gathering']);
export const SeminarStatus = z.enum(['draft', 'scheduled', 'cancelled']);

/** What an admin sends to create or replace a seminar. */
export const SeminarInput = z
  .object({
    title: text(300),
    description: z.string().trim().max(20000).default(''),
    kind: SeminarKind.default('seminar'),
    /** The series it belongs to, e.g. "partnerforum-samordning"; people can subscribe to a series' new seminars. */
    seriesId: Id.optional(),
    /**
     * The series' name as emails and pages show it, e.g. "Partnerforums seminarserie om samordning" (and in
     * English, if it differs). Give the same on every seminar of the series; without it the seriesId is
     * shown humanised ("Partnerforum samordning"). See shared/domain/series.ts.
     */
    seriesTitle: text(300).optional(),
    seriesTitleEn: text(300).optional(),
    /** For guidance sessions: the scheme and deadline (round) they belong to. */
    schemeId: Id.optional(),
    deadlineId: Id.optional(),
    start: IsoTime,
    end: IsoTime,
    /** Doors open / breakfast served, HH:MM Oslo time. */
    doorsOpen: z.string().regex(/^\d{2}:\d{2}$/, 'HH:MM in Oslo time').optional(),
    venue: Venue.optional(),
    program: z.array(ProgramItem).max(100).default([]),
    speakers: z.array(Speaker).max(100).default([]),
    contacts: z.array(Contact).max(20).default([]),
    /** Physical seats; 0 means digital only. */
    capacity: z.number().int().min(0).max(100000),
    livestream: z.boolean().default(true),
    physicalDeadline: IsoTime.optional(),
    digitalDeadline: IsoTime.optional(),
    /** Registration open per mode (admins can close one mode by hand). */
    physicalOpen: z.boolean().default(true),
    digitalOpen: z.boolean().default(true),
    eligibility: Eligibility.default({ kind: 'open' }),
    /** Double opt-in: registrants confirm their address before they count. */
    doubleOptIn: z.boolean().default(true),
    streamingUrl: z.url().optional(),
    /** Minutes before the start at which reminders go out; default one day. */
    reminderOffsetsMinutes: z.array(z.number().int().min(5).max(60 * 24 * 60)).max(10).default([24 * 60]),
    /** Minutes before the start at which the streaming link goes out; default 2 hours. */
    streamingLinkOffsetMinutes: z.number().int().min(1).max(60 * 24 * 14).default(120),
    language: Language.default('nb'),
  })
  .superRefine((s, ctx) => {
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
  });
export type SeminarInput = z.infer<typeof SeminarInput>;

export interface Seminar extends SeminarInput {
  id: string;
  status: z.infer<typeof SeminarStatus>;
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
  organisation: oneLine(300).default(''),
  mode: RegistrationMode,
  digitalIfFull: z.boolean().default(false),
  joinWaitlist: z.boolean().default(false),
  language: Language.default('nb'),
});
export type RegistrationInput = z.infer<typeof RegistrationInput>;

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
