/** The deadline notices, built from the stored scheme and round (never from the event alone). */
import type { Seminar } from '../../shared/domain/model.js';
import { schemeName, type Deadline, type Scheme } from '../../shared/domain/funding.js';
import type { SubscriberMessage } from '../../shared/email/notify-subscribers.js';
import { emailScheme, guidanceInfo, sessionsForRound } from './scheme-email.js';

type Lang = 'nb' | 'en';

/** Ledger kinds, under the deadline id: one announcement per person and round, ever. */
export const ANNOUNCED_KIND = 'deadline-announced';
/** One reminder per offset and deadline instant: a moved deadline gets its own reminders. */
export const reminderKind = (d: Pick<Deadline, 'deadline'>, offsetDays: number) =>
  `deadline-reminder-${offsetDays}d-${Math.floor(Date.parse(d.deadline) / 1000)}`;
/** One moved-notice per change of the round. */
export const movedKind = (revision: number) => `deadline-moved-r${revision}`;

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
