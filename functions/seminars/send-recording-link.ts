/**
 * SeminarRecordingPublished → every registrant (confirmed, any attendance) gets the recording link once
 * per URL: a corrected URL goes out again, saying it corrects the earlier one. Only the seminar's stored
 * `recordingUrl` is sent: an event carrying another URL (an older one, or one the seminar never had) does
 * nothing (shared/notices/seminar-notices.ts `recordingPublished`; the send queue does the sending).
 */
import { SeminarRecordingPublished } from '../../events/index.js';
import { onEvent } from '../../shared/aws/on-event.js';
import { enqueueNotice } from '../../shared/notices/send-queue.js';
import { recordingPublished } from '../../shared/notices/seminar-notices.js';

export const handler = onEvent(SeminarRecordingPublished, (d) => enqueueNotice(recordingPublished, { seminarId: d.seminarId, url: d.url }));
