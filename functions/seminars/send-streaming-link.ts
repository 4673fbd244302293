/**
 * StreamingLinkDue → every confirmed registrant (physical and digital) gets the streaming link once: the
 * seminar is marked first, so whoever confirms after this moment gets the link in the confirmation; then the
 * notice goes on the send queue (shared/notices/seminar-notices.ts `streamingLink` says whether it is due,
 * for the seminar as stored, not the event's start).
 */
import { StreamingLinkDue } from '../../events/index.js';
import { onEvent } from '../../shared/aws/on-event.js';
import { updateSeminarFields } from '../../shared/store/seminars.js';
import { enqueueNotice } from '../../shared/notices/send-queue.js';
import { streamingLink } from '../../shared/notices/seminar-notices.js';
import { isStale } from '../../shared/notices/notice.js';
import { now } from '../../shared/clock.js';

export const handler = onEvent(StreamingLinkDue, async (d) => {
  const params = { seminarId: d.seminarId, start: d.start };
  const loaded = await streamingLink.load(params);
  if (!isStale(loaded) && !loaded.seminar.streamingLinkSentAt) await updateSeminarFields(loaded.seminar.id, { streamingLinkSentAt: now().toISOString() });
  return enqueueNotice(streamingLink, params, { loaded });
});
