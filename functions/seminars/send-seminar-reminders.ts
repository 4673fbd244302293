/**
 * SeminarReminderDue → every confirmed registrant gets the reminder once: physical attendees the venue,
 * address and doors time; digital attendees the time and when the link comes. A schedule made for an
 * old start (the seminar moved), for a cancelled seminar or a removed offset does nothing, and so does one
 * that arrives before its moment (put by hand early): the real one still sends
 * (shared/notices/seminar-notices.ts `seminarReminder`; the send queue does the sending).
 */
import { SeminarReminderDue } from '../../events/index.js';
import { onEvent } from '../../shared/aws/on-event.js';
import { enqueueNotice } from '../../shared/notices/send-queue.js';
import { seminarReminder } from '../../shared/notices/seminar-notices.js';

export const handler = onEvent(SeminarReminderDue, (d) =>
  enqueueNotice(seminarReminder, { seminarId: d.seminarId, start: d.start, offsetMinutes: d.offsetMinutes }),
);
