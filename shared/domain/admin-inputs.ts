/**
 * The admin API's request bodies (seminars, funding schemes and their deadlines, recording, cancel) and
 * the registrant export's columns, shared by the handlers that validate them and the OpenAPI document
 * (shared/http/openapi.ts) that describes them. Each body that a record is made of parses to exactly
 * that record's editable fields (checked at compile time: `InputsMatchRecords` below).
 */
import * as z from 'zod/mini';
import { Email, Id, IsoTime, Language, MultiLineText, SingleLineText, WebUrl } from './primitives.js';
import type { SeminarFields } from './model.js';
import { isDeadlineValue, type DeadlineFields, type SchemeFields } from './funding.js';

/** Required text on one line, trimmed, at most `max` characters. */
const text = (max: number) => SingleLineText(max, 1);
/** An array of at most `max` items, empty when left out. */
const list = <T extends z.ZodMiniType>(item: T, max: number) => z._default(z.array(item).check(z.maxLength(max)), []);

/** Optional text on one line, trimmed. */
const optionalText = (max: number) => z.optional(SingleLineText(max));
const HH_MM = () => z.string().check(z.regex(/^\d{2}:\d{2}$/, 'HH:MM in Oslo time'));
const emailDomain = z.string().check(z.trim(), z.toLowerCase(), z.regex(/^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z]{2,}$/, 'a domain such as dfo.no'));

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
  slidesUrl: z.optional(WebUrl),
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

/** What an admin sends to create or replace a seminar. */
export const SeminarInput = z
  .object({
    title: text(300),
    description: z._default(MultiLineText(20000), ''),
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
    /**
     * For a scheme round's sessions (kind `guidance-session` or `pitch`): the scheme and deadline (round)
     * they belong to. A guidance session that names only the scheme belongs to the rounds whose deadline
     * comes after it; a pitch day (often after the deadline) names its round, or the round lists it.
     */
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
    streamingUrl: z.optional(WebUrl),
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

// ---------------------------------------------------------------------------------------------
// Funding schemes and their rounds

/** What an admin sends to create or replace a funding scheme. */
export const SchemeInput = z.object({
  /** The scheme's name in Norwegian, e.g. "Medfinansieringsordningen". */
  name: text(200),
  /** The name in English, if it differs. */
  nameEn: z.optional(text(200)),
  description: z._default(
    z.object({ nb: z._default(MultiLineText(5000), ''), en: z.optional(MultiLineText(5000)) }),
    { nb: '' },
  ),
  /** Total budget in NOK, e.g. 120000000. */
  budgetNok: z.optional(z.number().check(z.int(), z.gte(0), z.lte(1e13))),
  /** Largest share of a project's costs the scheme covers, in per cent, e.g. 50. */
  maxSharePercent: z.optional(z.number().check(z.gt(0), z.lte(100))),
  /** The scheme's web page. */
  url: z.optional(WebUrl),
  /** Who runs it; signs the emails, e.g. "Difi". */
  organiser: optionalText(200),
  contacts: list(Contact, 20),
  /** Unpublished schemes are hidden from the public and take no subscriptions. */
  published: z._default(z.boolean(), true),
});
export type SchemeInput = z.output<typeof SchemeInput>;

/** A deadline: an ISO time with offset, or a date meaning the end of that day in Europe/Oslo. */
export const DeadlineValue = z.string().check(
  z.trim(),
  z.refine(isDeadlineValue, {
    message: 'an ISO time with offset (2027-01-17T12:00:00+01:00) or a date (2027-01-17, meaning the end of that day in Oslo)',
  }),
  z.meta({ description: 'ISO 8601 time with offset, or a date YYYY-MM-DD meaning the end of that day (23:59:59) in Europe/Oslo.' }),
);

const unique = <T>(a: T[]): T[] => [...new Set(a)];

/** Days before the deadline at which reminders go out. */
export const ReminderOffsets = z.pipe(
  z.array(z.number().check(z.int(), z.gte(1, 'at least 1 day'), z.lte(366, 'at most 366 days'))).check(z.maxLength(10)),
  z.transform((a: number[]) => [...new Set(a)].sort((x, y) => y - x)),
);

export const DEFAULT_REMINDER_OFFSETS = [14, 3, 1];

/** `POST /admin/schemes/{id}/deadlines`. */
export const DeadlineInput = z.object({
  /** The round, e.g. "2018" or "Høst 2027". */
  round: text(200),
  deadline: DeadlineValue,
  reminderOffsets: z._default(ReminderOffsets, DEFAULT_REMINDER_OFFSETS),
  /**
   * Ids of the round's sessions: seminars of kind `guidance-session` (veiledningssamlinger) or `pitch`
   * (a pitch day, e.g. for a sketch competition's best projects). The name stays for compatibility; pages
   * and emails call each session by its kind.
   */
  guidanceSessions: z.pipe(list(Id, 20), z.transform(unique<string>)).check(
    z.meta({ description: 'Ids of the round\'s sessions: seminars of kind guidance-session or pitch (a pitch day). Pages and emails name each by its kind.' }),
  ),
});
export type DeadlineInput = z.output<typeof DeadlineInput>;

/** `PUT /admin/deadlines/{id}`: any of the fields; a new `deadline` moves the deadline. */
export const DeadlineUpdate = z
  .object({
    round: z.optional(text(200)),
    deadline: z.optional(DeadlineValue),
    reminderOffsets: z.optional(ReminderOffsets),
    /** As in DeadlineInput: seminars of kind guidance-session or pitch. */
    guidanceSessions: z.optional(
      z.pipe(z.array(Id).check(z.maxLength(20)), z.transform(unique<string>)).check(
        z.meta({ description: 'Ids of the round\'s sessions: seminars of kind guidance-session or pitch (a pitch day). Pages and emails name each by its kind.' }),
      ),
    ),
  })
  .check(z.refine((u) => Object.values(u).some((v) => v !== undefined), { message: 'give at least one of round, deadline, reminderOffsets, guidanceSessions' }));
export type DeadlineUpdate = z.output<typeof DeadlineUpdate>;

/** `A` and `B` have the same keys, and each is assignable to the other. */
type SameShape<A, B> = [A, keyof A] extends [B, keyof B] ? ([B, keyof B] extends [A, keyof A] ? true : false) : false;
type Holds<T extends true> = T;
/**
 * Compile-time checks that the parsed bodies are the records' editable fields (model.ts, funding.ts):
 * a field added to one and not the other, or typed differently, fails `npm run typecheck` here.
 */
export type InputsMatchRecords = [
  Holds<SameShape<SeminarInput, SeminarFields>>,
  Holds<SameShape<SchemeInput, SchemeFields>>,
  Holds<SameShape<DeadlineInput, DeadlineFields>>,
  Holds<SameShape<DeadlineUpdate, Partial<DeadlineFields>>>,
];

// ---------------------------------------------------------------------------------------------
// Seminar actions and the registrant export


/** `POST /admin/seminars/{id}/recording` */
export const RecordingInput = z.object({ url: WebUrl });

/** Registrants per page of `GET /admin/seminars/{id}/registrations` (JSON or CSV): the default and the most one page may ask for. */
export const REGISTRANTS_PAGE = { default: 200, max: 1000 } as const;
/** Entries per page of `GET /admin/deliveries` (a seminar of 10,000 registrants has tens of thousands). */
export const DELIVERIES_PAGE = { default: 1000, max: 1000 } as const;

/** `POST /admin/seminars/{id}/cancel` (the body is optional) */
export const CancelInput = z.object({ reason: z.optional(MultiLineText(2000)) });

/**
 * Columns of the registrant export (`GET /admin/seminars/{id}/registrations` with `Accept: text/csv`),
 * in order. UTF-8 with a byte-order mark (Excel then reads æøå right), comma-separated (semicolon-separated
 * on request: shared/domain/registrant-export.ts), CRLF line ends, times in Oslo time with the offset.
 */
export const REGISTRANT_COLUMNS = [
  ['name', 'name as the registrant wrote it'],
  ['email', 'email address (lower case)'],
  ['organisation', 'organisation, may be empty'],
  ['requestedMode', 'what was asked for: physical or digital'],
  ['attendance', 'what the registrant has once confirmed: physical, digital or waitlisted'],
  ['status', 'pending (address not confirmed yet), confirmed or cancelled'],
  ['waitlistPosition', '1-based place on the waitlist, for waitlisted registrants'],
  ['language', 'nb or en: the language of the emails'],
  ['submittedAt', 'when the form was submitted'],
  ['confirmedAt', 'when the address was confirmed'],
  ['cancelledAt', 'when the registration was cancelled'],
] as const;
export const registrantColumnNames: string[] = REGISTRANT_COLUMNS.map(([name]) => name);
