/**
 * ApplicationDeadlineReminderDue → every confirmed subscriber of the scheme gets the reminder once. A
 * schedule made for an old deadline (it moved) or for an offset that was removed does nothing, and so
 * does one that fires at or after the deadline: no reminder goes out after it
 * (shared/notices/scheme-notices.ts `deadlineReminder`; the send queue does the sending).
 */
import { ApplicationDeadlineReminderDue } from '../../events/index.js';
import { onEvent } from '../../shared/aws/on-event.js';
import { enqueueNotice } from '../../shared/notices/send-queue.js';
import { deadlineReminder } from '../../shared/notices/scheme-notices.js';

export const handler = onEvent(ApplicationDeadlineReminderDue, (d) =>
  enqueueNotice(deadlineReminder, { schemeId: d.schemeId, deadlineId: d.deadlineId, deadline: d.deadline, offsetDays: d.offsetDays }),
);
