/** SeminarRecordingPublished → every registrant (confirmed, any attendance) gets the recording link once. */
import type { EventBridgeEvent } from 'aws-lambda';
import { SeminarRecordingPublished } from '../../events/index.js';
import { getSeminar } from '../../shared/store/seminars.js';
import { notifyRegistrants } from '../../shared/email/notify.js';
import { logger } from '../../shared/log.js';
import { RECORDING_KIND } from './notice-kinds.js';
import { continueIfUnfinished, stopAtFor } from './continuation.js';
import type { Context } from 'aws-lambda';

export const handler = async (event: EventBridgeEvent<string, unknown>, context?: Context) => {
  const d = SeminarRecordingPublished.schema.parse(event.detail);
  const s = await getSeminar(d.seminarId, true);
  if (!s || s.status === 'draft') return { stale: true };
  const url = s.recordingUrl ?? d.url;
  const result = await notifyRegistrants(s, RECORDING_KIND, (r) => ({ kind: 'recording-published', name: r.name, recordingUrl: url }), {
    notice: 'recording', bulk: true,
    stopAt: stopAtFor(context),
  });
  await continueIfUnfinished(SeminarRecordingPublished, d, result);
  logger.info('Recording link sent', { seminarId: s.id, ...result });
  return result;
};
