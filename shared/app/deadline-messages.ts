/** The deadline notices, built from the stored scheme and round (never from the event alone). */
import type { Seminar } from '../domain/model.js';
import { roundSessionKind, schemeDescription, schemeName, type Deadline, type Scheme } from '../domain/funding.js';
import type { EmailScheme, GuidanceSessionInfo } from '../email/templates.js';
import type { SubscriberMessage } from '../email/notify-subscribers.js';
import { registerPageUrl } from '../links.js';
import { sessionsForRound } from './scheme-sessions.js';
import type { Lang } from '../domain/primitives.js';

/** What the deadline emails show of a scheme. */
function emailScheme(s: Scheme, lang: Lang): EmailScheme {
  return {
    name: schemeName(s, lang),
    description: schemeDescription(s, lang) || undefined,
    budgetNok: s.budgetNok,
    maxSharePercent: s.maxSharePercent,
    url: s.url,
    contacts: s.contacts,
  };
}

function guidanceInfo(sessions: Seminar[], lang: Lang): GuidanceSessionInfo[] {
  return sessions.map((s) => ({ kind: roundSessionKind(s.kind), title: s.title, start: s.start, end: s.end, venue: s.venue, registerUrl: registerPageUrl(s.id, lang) }));
}

function common(scheme: Scheme, d: Deadline, upcoming: Seminar[], lang: Lang) {
  return {
    scheme: emailScheme(scheme, lang),
    round: d.round,
    deadline: d.deadline,
    endOfDay: d.endOfDay,
    guidanceSessions: guidanceInfo(sessionsForRound(d, upcoming), lang),
    organiser: scheme.organiser,
  };
}

export function announcementFor(scheme: Scheme, d: Deadline, upcoming: Seminar[], lang: Lang): SubscriberMessage {
  return { kind: 'deadline-announced', ...common(scheme, d, upcoming, lang) };
}

export function reminderFor(scheme: Scheme, d: Deadline, upcoming: Seminar[], offsetDays: number, lang: Lang): SubscriberMessage {
  return { kind: 'deadline-reminder', daysLeft: offsetDays, ...common(scheme, d, upcoming, lang) };
}

export function movedFor(scheme: Scheme, d: Deadline, upcoming: Seminar[], previousDeadline: string, lang: Lang): SubscriberMessage {
  return { kind: 'deadline-moved', previousDeadline, previousEndOfDay: undefined, ...common(scheme, d, upcoming, lang) };
}

/** The guidance-session announcement for a scheme's subscribers (the 'seminar-announced' email). */
export function guidanceAnnouncementFor(
  seminar: Seminar,
  scheme: Scheme,
  round: Deadline | undefined,
  registerUrl: string,
  lang: Lang,
): SubscriberMessage {
  return {
    kind: 'seminar-announced',
    seminar,
    scheme: { name: schemeName(scheme, lang), deadline: round?.deadline, endOfDay: round?.endOfDay },
    registerUrl,
    organiser: scheme.organiser,
  };
}
