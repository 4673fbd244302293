/** SeminarRecordingPublished → every registrant (confirmed, any attendance) gets the recording link once. */
import { SeminarRecordingPublished } from '../../events/index.js';
import { onEvent } from '../../shared/aws/on-event.js';
import { getSeminar } from '../../shared/store/seminars.js';
import { notifyRegistrants } from '../../shared/email/notify.js';
import { logger } from '../../shared/log.js';
import { RECORDING_KIND } from '../../shared/email/ledger-kinds.js';

export const handler = onEvent(SeminarRecordingPublished, async (d, ctx) => {
  const s = await getSeminar(d.seminarId, true);
  if (!s || s.status === 'draft') return { stale: true };
  const url = s.recordingUrl ?? d.url;
  const result = await notifyRegistrants(s, RECORDING_KIND, (r) => ({ kind: 'recording-published', name: r.name, recordingUrl: url }), {
    notice: 'recording', bulk: true,
    stopAt: ctx.stopAt,
  });
  logger.info('Recording link sent', { seminarId: s.id, ...result });
  return result;
});
