/**
 * SeminarRecordingPublished → every registrant (confirmed, any attendance) gets the recording link once
 * per URL: a corrected URL goes out again, saying it corrects the earlier one. Only the seminar's stored
 * `recordingUrl` is sent: an event carrying another URL (an older one, or one the seminar never had) does nothing.
 */
import { SeminarRecordingPublished } from '../../events/index.js';
import { onEvent } from '../../shared/aws/on-event.js';
import { getSeminar } from '../../shared/store/seminars.js';
import { notifyRegistrants } from '../../shared/email/notify.js';
import { logger } from '../../shared/log.js';
import { recordingKind } from '../../shared/email/ledger-kinds.js';

export const handler = onEvent(SeminarRecordingPublished, async (d, ctx) => {
  const s = await getSeminar(d.seminarId, true);
  if (!s || s.status === 'draft') return { stale: true };
  const url = s.recordingUrl;
  if (url !== d.url) {
    logger.warn('Recording event ignored: its URL is not the seminar\'s recording', { seminarId: d.seminarId, hasRecording: Boolean(url) });
    return { stale: true };
  }
  const correction = Boolean(s.correctedRecordingUrl);
  const result = await notifyRegistrants(s, recordingKind(url), (r) => ({ kind: 'recording-published', name: r.name, recordingUrl: url, correction }), {
    notice: 'recording', bulk: true,
    stopAt: ctx.stopAt,
  });
  logger.info('Recording link sent', { seminarId: s.id, correction, ...result });
  return result;
});
