/**
 * Funding schemes, their rounds (application deadlines) and subscriptions: the schemas the admin and
 * public APIs validate with (and the OpenAPI document shows), and the pure rules about them: what a
 * deadline given as a date means, when reminders go out, whether a round is open. No SDK imports.
 */
import * as z from 'zod/mini';
import { Id, IsoTime, Language } from '../../events/define.js';
import { Contact, Email, list } from './model.js';
import { endOfDayOslo, osloDate, osloLocalToInstant, toOsloIso } from './time.js';

const text = (max: number) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/** What an admin sends to create or replace a funding scheme. */
export const SchemeInput = z.object({
  /** The scheme's name in Norwegian, e.g. "Medfinansieringsordningen". */
  name: text(200),
  /** The name in English, if it differs. */
  nameEn: z.optional(text(200)),
  description: z._default(
    z.object({ nb: z._default(z.string().check(z.trim(), z.maxLength(5000)), ''), en: z.optional(z.string().check(z.trim(), z.maxLength(5000))) }),
    { nb: '' },
  ),
  /** Total budget in NOK, e.g. 120000000. */
  budgetNok: z.optional(z.number().check(z.int(), z.gte(0), z.lte(1e13))),
  /** Largest share of a project's costs the scheme covers, in per cent, e.g. 50. */
  maxSharePercent: z.optional(z.number().check(z.gt(0), z.lte(100))),
  /** The scheme's web page. */
  url: z.optional(z.url({ protocol: /^https?$/, message: 'an http(s) URL' })),
  /** Who runs it; signs the emails, e.g. "Difi". */
  organiser: z.optional(z.string().check(z.trim(), z.maxLength(200))),
  contacts: list(Contact, 20),
  /** Unpublished schemes are hidden from the public and take no subscriptions. */
  published: z._default(z.boolean(), true),
});
export type SchemeInput = z.output<typeof SchemeInput>;

export interface Scheme extends SchemeInput {
  id: string;
  createdAt: string;
  updatedAt: string;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A deadline: an ISO time with offset, or a date meaning the end of that day in Europe/Oslo. */
export const DeadlineValue = z.string().check(
  z.trim(),
  z.refine((v: string) => (DATE_RE.test(v) ? isRealDate(v) : IsoTime.safeParse(v).success), {
    message: 'an ISO time with offset (2027-01-17T12:00:00+01:00) or a date (2027-01-17, meaning the end of that day in Oslo)',
  }),
  z.meta({ description: 'ISO 8601 time with offset, or a date YYYY-MM-DD meaning the end of that day (23:59:59) in Europe/Oslo.' }),
);

function isRealDate(v: string): boolean {
  const [y, m, d] = v.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

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
  /** Ids of seminars of kind `guidance-session` that belong to this round. */
  guidanceSessions: z.pipe(list(Id, 20), z.transform(unique<string>)),
});
export type DeadlineInput = z.output<typeof DeadlineInput>;

/** `PUT /admin/deadlines/{id}`: any of the fields; a new `deadline` moves the deadline. */
export const DeadlineUpdate = z
  .object({
    round: z.optional(text(200)),
    deadline: z.optional(DeadlineValue),
    reminderOffsets: z.optional(ReminderOffsets),
    guidanceSessions: z.optional(z.pipe(z.array(Id).check(z.maxLength(20)), z.transform(unique<string>))),
  })
  .check(z.refine((u) => Object.values(u).some((v) => v !== undefined), { message: 'give at least one of round, deadline, reminderOffsets, guidanceSessions' }));
export type DeadlineUpdate = z.output<typeof DeadlineUpdate>;

export interface Deadline {
  id: string;
  schemeId: string;
  round: string;
  /** The deadline, ISO with the Oslo offset. */
  deadline: string;
  /** Given as a date: the end of that day in Oslo (emails say so). */
  endOfDay: boolean;
  reminderOffsets: number[];
  /** Offsets that were removed: their schedules must go. */
  retiredOffsets: number[];
  guidanceSessions: string[];
  /** Bumped on every change; moved-notices are keyed by it. */
  revision: number;
  createdAt: string;
  updatedAt: string;
}

/** A deadline as the admin typed it → the instant, and whether it means "end of day". */
export function parseDeadline(value: string): { deadline: string; endOfDay: boolean } {
  const v = value.trim();
  if (DATE_RE.test(v)) return { deadline: toOsloIso(endOfDayOslo(v)), endOfDay: true };
  return { deadline: toOsloIso(new Date(v)), endOfDay: false };
}

export type RoundStatus = 'open' | 'closed';

/** A round is open until its deadline; at the deadline it closes. */
export function roundStatus(d: Pick<Deadline, 'deadline'>, now: Date): RoundStatus {
  return now.getTime() < Date.parse(d.deadline) ? 'open' : 'closed';
}

/** Reminders go out at this Oslo clock time. */
export const REMINDER_TIME_OSLO = '09:00';

function addDays(ymd: string, days: number): string {
  const [y, m, d] = ymd.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return t.toISOString().slice(0, 10);
}

/**
 * When the reminder `offsetDays` before a deadline goes out: at 09:00 Oslo time on the Oslo calendar day
 * that many days before the deadline's day. Calendar days, not multiples of 24 hours, so that the time
 * of day stays 09:00 across the daylight-saving changes.
 */
export function reminderAt(deadline: string | Date, offsetDays: number): Date {
  return osloLocalToInstant(addDays(osloDate(deadline), -offsetDays), REMINDER_TIME_OSLO);
}

export interface ReminderMoment {
  offsetDays: number;
  at: Date;
}

export function reminderMoments(d: Pick<Deadline, 'deadline' | 'reminderOffsets'>): ReminderMoment[] {
  return d.reminderOffsets.map((offsetDays) => ({ offsetDays, at: reminderAt(d.deadline, offsetDays) }));
}

/** Applies an update to a deadline: the new state, whether it moved, and which offsets retire. */
export function applyDeadlineUpdate(current: Deadline, u: DeadlineUpdate, at: string): { next: Deadline; moved: boolean } {
  const parsed = u.deadline !== undefined ? parseDeadline(u.deadline) : undefined;
  const moved = parsed !== undefined && Date.parse(parsed.deadline) !== Date.parse(current.deadline);
  const offsets = u.reminderOffsets ?? current.reminderOffsets;
  const retired = [...new Set([...current.retiredOffsets, ...current.reminderOffsets])].filter((o) => !offsets.includes(o)).sort((a, b) => b - a);
  const next: Deadline = {
    ...current,
    round: u.round ?? current.round,
    ...(parsed ? parsed : {}),
    reminderOffsets: offsets,
    retiredOffsets: retired,
    guidanceSessions: u.guidanceSessions ?? current.guidanceSessions,
    revision: current.revision + 1,
    updatedAt: at,
  };
  return { next, moved };
}

// ---------------------------------------------------------------------------------------------
// Subscriptions

export const SubscriptionInput = z.object({
  email: Email,
  language: z._default(Language, 'nb'),
});
export type SubscriptionInput = z.output<typeof SubscriptionInput>;

export type SubscriptionStatus = 'pending' | 'confirmed' | 'unsubscribed';
export interface SubscriptionTarget {
  kind: 'scheme' | 'series';
  id: string;
}

export interface Subscription {
  id: string;
  target: SubscriptionTarget;
  email: string;
  language: 'nb' | 'en';
  status: SubscriptionStatus;
  createdAt: string;
  requestedAt: string;
  confirmedAt?: string;
  unsubscribedAt?: string;
}

/** Subscriptions are named in tokens as `<kind>.<targetId>.<subscriptionId>` (no email address in links). */
export const subscriptionSub = (s: Pick<Subscription, 'target' | 'id'>) => `${s.target.kind}.${s.target.id}.${s.id}`;
export function parseSubscriptionSub(sub: string): { target: SubscriptionTarget; id: string } | undefined {
  const m = /^(scheme|series)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(sub);
  return m ? { target: { kind: m[1] as SubscriptionTarget['kind'], id: m[2] }, id: m[3] } : undefined;
}

/** The scheme's name and description in the reader's language (Norwegian when there is no English). */
export function schemeName(s: Pick<Scheme, 'name' | 'nameEn'>, lang: 'nb' | 'en'): string {
  return lang === 'en' && s.nameEn ? s.nameEn : s.name;
}
export function schemeDescription(s: Pick<Scheme, 'description'>, lang: 'nb' | 'en'): string {
  return (lang === 'en' && s.description.en) || s.description.nb;
}
