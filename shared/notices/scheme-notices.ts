/**
 * The notices to the confirmed subscribers of a funding scheme (notice.ts): a round's announcement, its
 * reminders and a moved deadline, and a guidance session of the scheme. Each reads the scheme and the
 * round as stored: an unpublished scheme, a closed round, a deadline that moved again since, gets nothing.
 */
import { getDeadline, getScheme, getSchemeWithRounds } from '../store/schemes.js';
import { getSeminar } from '../store/seminars.js';
import { roundStatus, type Deadline, type Scheme } from '../domain/funding.js';
import { sameInstant } from '../domain/seminar-rules.js';
import { registerPageUrl } from '../links.js';
import { now } from '../clock.js';
import { announcementFor, guidanceAnnouncementFor, movedFor, reminderFor } from '../app/deadline-messages.js';
import { tiesOf, upcomingGuidanceSessions } from '../app/scheme-sessions.js';
import { DEADLINE_ANNOUNCED_KIND, SEMINAR_ANNOUNCED_KIND, deadlineMovedKind, deadlineReminderKind } from '../email/ledger-kinds.js';
import type { SubscriberMessage } from '../email/notify-subscribers.js';
import { defineNotice, stale, type Stale, type SubscribersNotice } from './notice.js';
import type { Lang } from '../domain/primitives.js';

type RoundMessage = (scheme: Scheme, deadline: Deadline, upcoming: Awaited<ReturnType<typeof upcomingGuidanceSessions>>, lang: Lang) => SubscriberMessage;

/** A round's notice while its scheme is published and the round open, with the upcoming guidance sessions as they are now. */
async function roundNotice(schemeId: string, deadlineId: string, kind: (d: Deadline) => string, message: RoundMessage, check?: (d: Deadline) => Stale | undefined): Promise<SubscribersNotice | Stale> {
  const [scheme, deadline] = await Promise.all([getScheme(schemeId, true), getDeadline(schemeId, deadlineId)]);
  if (!scheme || !deadline || !scheme.published) return stale('unknown or unpublished scheme or round');
  const refused = check?.(deadline);
  if (refused) return refused;
  const at = now();
  if (roundStatus(deadline, at) === 'closed') return stale('the deadline has passed');
  const upcoming = await upcomingGuidanceSessions(at);
  return {
    audience: 'subscribers',
    target: { kind: 'scheme', id: scheme.id },
    subject: deadline.id,
    kind: kind(deadline),
    build: (s) => message(scheme, deadline, upcoming, s.language),
  };
}

/** A round's announcement: what the scheme is, how much, the deadline, the guidance sessions. */
export const deadlineAnnounced = defineNotice('deadline-announced', (p: { schemeId: string; deadlineId: string }) =>
  roundNotice(p.schemeId, p.deadlineId, () => DEADLINE_ANNOUNCED_KIND, announcementFor),
);

/** The reminder `offsetDays` before the deadline `deadline`: stale when the deadline moved or the offset was removed. */
export const deadlineReminder = defineNotice('deadline-reminder', (p: { schemeId: string; deadlineId: string; deadline: string; offsetDays: number }) =>
  roundNotice(
    p.schemeId,
    p.deadlineId,
    (d) => deadlineReminderKind(d, p.offsetDays),
    (scheme, d, upcoming, lang) => reminderFor(scheme, d, upcoming, p.offsetDays, lang),
    (d) => (!sameInstant(d.deadline, p.deadline) || !d.reminderOffsets.includes(p.offsetDays) ? stale('the deadline moved or the offset was removed') : undefined),
  ),
);

/**
 * The deadline's move of revision `revision` to `deadline`, as the round stores it (`lastMove`: where it
 * moved from): stale when it has changed again since, or when the round does not store that move.
 */
export const deadlineMoved = defineNotice('deadline-moved', (p: { schemeId: string; deadlineId: string; deadline: string; revision: number }) =>
  roundNotice(
    p.schemeId,
    p.deadlineId,
    (d) => deadlineMovedKind(d.lastMove!.revision),
    (scheme, d, upcoming, lang) => movedFor(scheme, d, upcoming, d.lastMove!.from, lang),
    (d) =>
      !sameInstant(d.deadline, p.deadline) ? stale('the deadline has changed again') : d.lastMove?.revision !== p.revision ? stale('not the round\'s latest move as stored') : undefined,
  ),
);

/**
 * A guidance session of the scheme `schemeId`, with its registration link, to the scheme's subscribers: once
 * each per seminar, whichever of its schemes (or its series) reaches them first.
 */
export const guidanceSessionAnnounced = defineNotice('guidance-session-announced', async (p: { seminarId: string; schemeId: string }) => {
  const seminar = await getSeminar(p.seminarId, true);
  if (!seminar || seminar.kind !== 'guidance-session') return stale('not a guidance session');
  if (seminar.status === 'cancelled' || Date.parse(seminar.start) <= now().getTime()) return stale('cancelled or started');
  // on-seminar-scheduled publishes it; until then its registration link would not work: retry.
  if (seminar.status !== 'scheduled') throw new Error(`Seminar ${seminar.id} is not published yet; retrying`);
  const roundIds = (await tiesOf(seminar)).get(p.schemeId);
  if (!roundIds) return stale('not tied to this scheme');
  const found = await getSchemeWithRounds(p.schemeId, true);
  if (!found || !found.scheme.published) return stale('unknown or unpublished scheme');
  const open = found.rounds.filter((r) => roundStatus(r, now()) === 'open');
  // The round it belongs to: one that names or lists it, else the first open round ending after it.
  const round = open.find((r) => roundIds.has(r.id)) ?? open.find((r) => Date.parse(r.deadline) > Date.parse(seminar.start));
  return {
    audience: 'subscribers',
    target: { kind: 'scheme', id: p.schemeId },
    subject: seminar.id,
    kind: SEMINAR_ANNOUNCED_KIND,
    build: (s) => guidanceAnnouncementFor(seminar, found.scheme, round, registerPageUrl(seminar.id, s.language), s.language),
  } satisfies SubscribersNotice;
});
