/**
 * StreamingLinkDue → every confirmed registrant (physical and digital) gets the streaming link once.
 * The seminar is marked first, so whoever confirms after this moment gets the link in the confirmation.
 */
import { StreamingLinkDue } from '../../events/index.js';
import { onEvent } from '../../shared/aws/on-event.js';
import { getSeminar, updateSeminarFields } from '../../shared/store/seminars.js';
import { momentHasCome, sameInstant } from '../../shared/domain/seminar-rules.js';
import { notifyRegistrants } from '../../shared/email/notify.js';
import { streamingLinkKind } from '../../shared/email/ledger-kinds.js';
import { logger } from '../../shared/log.js';
import { now } from '../../shared/clock.js';

export const handler = onEvent(StreamingLinkDue, async (d, ctx) => {
  const s = await getSeminar(d.seminarId, true);
  if (!s || s.status !== 'scheduled' || !s.livestream || !sameInstant(s.start, d.start)) {
    logger.info('Stale streaming-link schedule ignored', { seminarId: d.seminarId, status: s?.status });
    return { sent: 0, stale: true };
  }
  if (!momentHasCome(s, { kind: 'streaming-link' }, now())) {
    logger.warn('Streaming-link event ignored: its moment has not come for the seminar as stored', { seminarId: s.id, start: s.start, now: now().toISOString() });
    return { sent: 0, early: true };
  }
  if (!s.streamingUrl) {
    logger.warn('No streaming URL set; nothing to send', { seminarId: s.id });
    return { sent: 0 };
  }
  if (!s.streamingLinkSentAt) await updateSeminarFields(s.id, { streamingLinkSentAt: now().toISOString() });
  const url = s.streamingUrl;
  const result = await notifyRegistrants(s, streamingLinkKind(s.start), (r) => ({ kind: 'streaming-link', name: r.name, streamingUrl: url }), {
    notice: 'streaming-link', bulk: true,
    stopAt: ctx.stopAt,
  });
  logger.info('Streaming link sent', { seminarId: s.id, ...result });
  return result;
});
