/**
 * Every notice the send queue carries, by name: what the sender asks to read a queued message's notice
 * again (deliver.ts). A notice not listed here cannot be enqueued for long: test/unit/notices.test.ts
 * holds every definition to it.
 */
import type { NoticeDefinition, NoticeParams } from './notice.js';
import { recordingPublished, seminarCancelled, seminarMoved, seminarReminder, streamingLink } from './seminar-notices.js';
import { announcedSeminarChanged, seminarAnnounced, seriesRecording } from './series-notices.js';
import { deadlineAnnounced, deadlineMoved, deadlineReminder, guidanceSessionAnnounced } from './scheme-notices.js';

export const NOTICES: ReadonlyMap<string, NoticeDefinition> = new Map(
  (
    [
      seminarReminder,
      streamingLink,
      seminarMoved,
      seminarCancelled,
      recordingPublished,
      seminarAnnounced,
      seriesRecording,
      announcedSeminarChanged,
      deadlineAnnounced,
      deadlineReminder,
      deadlineMoved,
      guidanceSessionAnnounced,
    ] as unknown as NoticeDefinition<NoticeParams>[]
  ).map((d) => [d.name, d]),
);
