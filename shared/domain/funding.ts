/**
 * Funding schemes, their rounds (application deadlines) and subscriptions: the records, and the pure
 * rules about them: what a deadline given as a date means, when reminders go out, whether a round is
 * open. No SDK imports, and no request-body schemas (those are in admin-inputs.ts and public-inputs.ts).
 */
import type { DeadlineUpdate, SchemeInput } from './admin-inputs.js';
import { IsoTime } from '../../events/define.js';
import { endOfDayOslo, osloDate, osloLocalToInstant, toOsloIso } from './time.js';

export interface Scheme extends SchemeInput {
  id: string;
  createdAt: string;
  updatedAt: string;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(v: string): boolean {
  const [y, m, d] = v.split('-').map(Number);
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** A deadline as an admin may give it: an ISO time with offset, or a real calendar date (YYYY-MM-DD). */
export function isDeadlineValue(v: string): boolean {
  return DATE_RE.test(v) ? isRealDate(v) : IsoTime.safeParse(v).success;
}

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
