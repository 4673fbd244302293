/**
 * Funding schemes, their rounds (application deadlines) and subscriptions: the records, and the pure
 * rules about them: what a deadline given as a date means, when reminders go out, whether a round is
 * open, what a round's sessions (guidance sessions, a pitch day) are called. No SDK imports, and no request-body schemas (those are in admin-inputs.ts and public-inputs.ts).
 */
import type { Contact } from './model.js';
import { IsoTime, type Email, type Id, type Lang } from './primitives.js';
import { endOfDayOslo, osloDate, osloLocalToInstant, toOsloIso } from './time.js';

/** A scheme's fields that an admin sets (the body of `POST /admin/schemes`, parsed: admin-inputs.ts). */
export interface SchemeFields {
  /** The scheme's name in Norwegian, e.g. "Medfinansieringsordningen"; `nameEn` if it differs in English. */
  name: string;
  nameEn?: string;
  description: { nb: string; en?: string };
  /** Total budget in NOK. */
  budgetNok?: number;
  /** Largest share of a project's costs the scheme covers, in per cent. */
  maxSharePercent?: number;
  url?: string;
  /** Who runs it; signs the emails. */
  organiser?: string;
  contacts: Contact[];
  /** Unpublished schemes are hidden from the public and take no subscriptions. */
  published: boolean;
}

export interface Scheme extends SchemeFields {
  id: Id;
  createdAt: IsoTime;
  updatedAt: IsoTime;
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

/**
 * A round's fields that an admin sets (the body of `POST /admin/schemes/{id}/deadlines`, parsed:
 * admin-inputs.ts; an update gives any of them). `deadline` as the admin typed it (see parseDeadline).
 */
export interface DeadlineFields {
  round: string;
  deadline: string;
  /** Days before the deadline, largest first. */
  reminderOffsets: number[];
  /** Ids of the round's sessions (seminars of kind guidance-session or pitch). */
  guidanceSessions: Id[];
}

export interface Deadline {
  id: Id;
  schemeId: Id;
  round: string;
  /** The deadline, ISO with the Oslo offset. */
  deadline: IsoTime;
  /** Given as a date: the end of that day in Oslo (emails say so). */
  endOfDay: boolean;
  reminderOffsets: number[];
  /** Offsets that were removed: their schedules must go. */
  retiredOffsets: number[];
  guidanceSessions: Id[];
  /** Bumped on every change; moved-notices are keyed by it. */
  revision: number;
  /**
   * The last move of the deadline: where from, and the revision that made it (written with the move). The
   * moved-notice tells this move, never one an event claims.
   */
  lastMove?: { from: IsoTime; revision: number };
  createdAt: IsoTime;
  updatedAt: IsoTime;
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
export function applyDeadlineUpdate(current: Deadline, u: Partial<DeadlineFields>, at: string): { next: Deadline; moved: boolean } {
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
    ...(moved ? { lastMove: { from: current.deadline, revision: current.revision + 1 } } : {}),
    updatedAt: at,
  };
  return { next, moved };
}

// ---------------------------------------------------------------------------------------------
// Subscriptions

export type SubscriptionStatus = 'pending' | 'confirmed' | 'unsubscribed';
export interface SubscriptionTarget {
  kind: 'scheme' | 'series';
  id: Id;
}

export interface Subscription {
  id: Id;
  target: SubscriptionTarget;
  email: Email;
  language: Lang;
  status: SubscriptionStatus;
  createdAt: IsoTime;
  requestedAt: IsoTime;
  confirmedAt?: IsoTime;
  unsubscribedAt?: IsoTime;
}

/** Subscriptions are named in tokens as `<kind>.<targetId>.<subscriptionId>` (no email address in links). */
export const subscriptionSub = (s: Pick<Subscription, 'target' | 'id'>) => `${s.target.kind}.${s.target.id}.${s.id}`;
export function parseSubscriptionSub(sub: string): { target: SubscriptionTarget; id: string } | undefined {
  const m = /^(scheme|series)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(sub);
  return m ? { target: { kind: m[1] as SubscriptionTarget['kind'], id: m[2] }, id: m[3] } : undefined;
}

/** The scheme's name and description in the reader's language (Norwegian when there is no English). */
export function schemeName(s: Pick<Scheme, 'name' | 'nameEn'>, lang: Lang): string {
  return lang === 'en' && s.nameEn ? s.nameEn : s.name;
}
export function schemeDescription(s: Pick<Scheme, 'description'>, lang: Lang): string {
  return (lang === 'en' && s.description.en) || s.description.nb;
}

// ---------------------------------------------------------------------------------------------
// A round's sessions and what to call them

/**
 * The seminar kinds a round's sessions can have: guidance sessions (veiledningssamlinger) for those who
 * want to apply, and a pitch day (e.g. a sketch competition's five best pitch on 15 September).
 */
export const ROUND_SESSION_KINDS = ['guidance-session', 'pitch'] as const;
export type RoundSessionKind = (typeof ROUND_SESSION_KINDS)[number];

export function isRoundSessionKind(kind: string | undefined): kind is RoundSessionKind {
  return (ROUND_SESSION_KINDS as readonly string[]).includes(kind ?? '');
}

/** A session's kind; one without a kind (older callers) is a guidance session. */
export const roundSessionKind = (kind: string | undefined): RoundSessionKind => (kind === 'pitch' ? 'pitch' : 'guidance-session');

/** Where a round's sessions are listed: the scheme page, or one of the deadline emails. */
export type SessionPlace = 'page' | 'deadline-announced' | 'deadline-reminder' | 'deadline-moved';

interface KindWords {
  /** One session, capitalised: a label and a heading. */
  one: string;
  /** Several sessions, capitalised. */
  many: string;
  /** What a subscriber hears about, in "søknadsfrister, …, og påminnelser", for one or several. */
  promise: [one: string, many: string];
  /** The link to a session's registration page. */
  register: string;
  /** The line before the list, by place. */
  intro: Record<SessionPlace, [one: string, many: string]>;
}

const SESSION_WORDS: Record<RoundSessionKind, Record<Lang, KindWords>> = {
  'guidance-session': {
    nb: {
      one: 'Veiledningssamling',
      many: 'Veiledningssamlinger',
      promise: ['veiledningssamlinger', 'veiledningssamlinger'],
      register: 'Meld deg på',
      intro: {
        page: ['Veiledningssamling for dere som vil søke:', 'Veiledningssamlinger for dere som vil søke:'],
        'deadline-announced': ['Vi arrangerer en veiledningssamling for dere som ønsker å søke:', 'Vi arrangerer veiledningssamlinger for dere som ønsker å søke:'],
        'deadline-reminder': ['Det er fortsatt mulig å delta på veiledning:', 'Det er fortsatt mulig å delta på veiledning:'],
        'deadline-moved': ['Veiledningssamling:', 'Veiledningssamlinger:'],
      },
    },
    en: {
      one: 'Guidance session',
      many: 'Guidance sessions',
      promise: ['guidance sessions', 'guidance sessions'],
      register: 'Register',
      intro: {
        page: ['A guidance session for those who want to apply:', 'Guidance sessions for those who want to apply:'],
        'deadline-announced': ['We hold a guidance session for those who want to apply:', 'We hold guidance sessions for those who want to apply:'],
        'deadline-reminder': ['You can still join a guidance session:', 'You can still join a guidance session:'],
        'deadline-moved': ['Guidance session:', 'Guidance sessions:'],
      },
    },
  },
  pitch: {
    nb: {
      one: 'Pitchdag',
      many: 'Pitchdager',
      promise: ['datoen for pitchdagen', 'datoene for pitchdagene'],
      register: 'Mer om pitchdagen',
      intro: {
        page: ['De beste prosjektene inviteres til pitchdag:', 'De beste prosjektene inviteres til pitchdager:'],
        'deadline-announced': ['De beste prosjektene inviteres til pitchdag:', 'De beste prosjektene inviteres til pitchdager:'],
        'deadline-reminder': ['De beste prosjektene inviteres til pitchdag:', 'De beste prosjektene inviteres til pitchdager:'],
        'deadline-moved': ['Pitchdag:', 'Pitchdager:'],
      },
    },
    en: {
      one: 'Pitch day',
      many: 'Pitch days',
      promise: ['the date of the pitch day', 'the dates of the pitch days'],
      register: 'About the pitch day',
      intro: {
        page: ['The best projects are invited to a pitch day:', 'The best projects are invited to pitch days:'],
        'deadline-announced': ['The best projects are invited to a pitch day:', 'The best projects are invited to pitch days:'],
        'deadline-reminder': ['The best projects are invited to a pitch day:', 'The best projects are invited to pitch days:'],
        'deadline-moved': ['Pitch day:', 'Pitch days:'],
      },
    },
  },
};

/** The sessions of one kind, with their words. */
export interface SessionGroup<T> {
  kind: RoundSessionKind;
  sessions: T[];
  /** "Veiledningssamlinger", "Pitchdag" / "Pitch day": by how many there are. */
  heading: string;
  /** What one session of this kind is called: "Veiledningssamling", "Pitchdag" / "Pitch day". */
  label: string;
  /** The link text to a session's registration page. */
  register: string;
  /** The line before the list, by place. */
  intro: Record<SessionPlace, string>;
}

export interface RoundSessionWords<T> {
  /** One group per kind, in the order its first session comes; none when there are no sessions. */
  groups: SessionGroup<T>[];
  /**
   * What subscribing brings, promising only the session kinds there are: "søknadsfrister, datoen for
   * pitchdagen og påminnelser før fristen" / "application deadlines, the date of the pitch day and
   * reminders before the deadline".
   */
  promise: string;
}

/**
 * What a subscription promises news of: the coming sessions of the open rounds (their deadline emails
 * list them; a closed round sends none), once each, by start (a session may belong to several rounds).
 */
export function promisedSessions<T extends { id: string; start: string }>(rounds: ReadonlyArray<{ status: RoundStatus; sessions: readonly T[] }>): T[] {
  const seen = new Map<string, T>();
  for (const r of rounds) if (r.status === 'open') for (const s of r.sessions) seen.set(s.id, s);
  return [...seen.values()].sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}

function andList(items: string[], lang: Lang): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${lang === 'nb' ? 'og' : 'and'} ${items[items.length - 1]}`;
}

/**
 * The one place that decides what a round's sessions are called: which kinds there are (guidance
 * sessions, a pitch day), each kind's heading, label, link text and intro, and what a subscription
 * promises. The scheme pages, the JSON of GET /schemes and every deadline email ask this.
 * `sessions` are the sessions of a round (or of all of a scheme's rounds, for the promise), by start.
 */
export function roundSessionWords<T extends { kind?: string }>(sessions: readonly T[], lang: Lang): RoundSessionWords<T> {
  const byKind = new Map<RoundSessionKind, T[]>();
  for (const s of sessions) {
    const kind = roundSessionKind(s.kind);
    byKind.set(kind, [...(byKind.get(kind) ?? []), s]);
  }
  const groups = [...byKind].map(([kind, list]): SessionGroup<T> => {
    const w = SESSION_WORDS[kind][lang];
    const n = list.length === 1 ? 0 : 1;
    return {
      kind,
      sessions: list,
      heading: n === 0 ? w.one : w.many,
      label: w.one,
      register: w.register,
      intro: {
        page: w.intro.page[n],
        'deadline-announced': w.intro['deadline-announced'][n],
        'deadline-reminder': w.intro['deadline-reminder'][n],
        'deadline-moved': w.intro['deadline-moved'][n],
      },
    };
  });
  const promised = groups.map((g) => SESSION_WORDS[g.kind][lang].promise[g.sessions.length === 1 ? 0 : 1]);
  const promise =
    lang === 'nb'
      ? andList(['søknadsfrister', ...promised, 'påminnelser før fristen'], lang)
      : andList(['application deadlines', ...promised, 'reminders before the deadline'], lang);
  return { groups, promise };
}
