/**
 * SeminarScheduled for a guidance session tied to a funding scheme (by the seminar's `schemeId` or
 * `deadlineId`, or listed by one of the scheme's rounds) → the scheme's confirmed subscribers hear about
 * it with its registration link (the 'seminar-announced' email), once each per seminar even if they
 * subscribe to several schemes it belongs to, or to its series too: one notice per scheme on the send
 * queue (shared/notices/scheme-notices.ts `guidanceSessionAnnounced`). Registration, reminders and
 * streaming then work as for any seminar (on-seminar-scheduled does those).
 */
import { SeminarScheduled } from '../../events/index.js';
import { onEvent } from '../../shared/aws/on-event.js';
import { getSeminar } from '../../shared/store/seminars.js';
import { tiesOf } from '../../shared/app/scheme-sessions.js';
import { enqueueNotice, type Enqueued } from '../../shared/notices/send-queue.js';
import { guidanceSessionAnnounced } from '../../shared/notices/scheme-notices.js';
import type { Stale } from '../../shared/notices/notice.js';

export const handler = onEvent(SeminarScheduled, async (d) => {
  const seminar = await getSeminar(d.seminarId, true);
  if (!seminar || seminar.kind !== 'guidance-session') return { skipped: 'not a guidance session' };
  const schemes: Array<Enqueued | Stale> = [];
  for (const schemeId of (await tiesOf(seminar)).keys()) schemes.push(await enqueueNotice(guidanceSessionAnnounced, { seminarId: seminar.id, schemeId }));
  return schemes.length ? { schemes } : { skipped: 'not tied to a scheme' };
});
