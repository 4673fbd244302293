/**
 * The confirmed subscribers of a seminar series hear about its seminars (through the send queue; the
 * notices are shared/notices/series-notices.ts):
 *
 * - `SeminarScheduled` for a seminar with a `seriesId`, or `SeminarUpdated` for a scheduled seminar that
 *   joined a series (`changedFields` has `seriesId`) → the announcement ('seminar-announced') with the
 *   registration link, once each. Ledger: (seminar id, `SEMINAR_ANNOUNCED_KIND`, address), the same entry the
 *   guidance-session announcement to a funding scheme's subscribers uses, so someone on both lists gets
 *   one email per seminar, from whichever notice reaches them first.
 * - `SeminarRecordingPublished` → the stored recording link ('series-recording-published'), once each per
 *   URL (a corrected URL again, saying so); an event whose URL is not the stored one does nothing. Ledger:
 *   (seminar id, `recordingKind(url)`, address), the same entry as the registrants' recording email
 *   (send-recording-link), so nobody gets the recording twice. Subscribers who are confirmed registrants
 *   are left out here and get the registrants' email (with their own registration's link); one who
 *   confirms while both notices go out still gets one email, whichever claims the entry first.
 *
 * Unsubscribed and pending subscriptions are never read; suppressed addresses get nothing (the mailer
 * checks). The seminar is read from the table, never taken from the event alone.
 */
import { SeminarRecordingPublished, SeminarScheduled, SeminarUpdated } from '../../events/index.js';
import { on, onEvents } from '../../shared/aws/on-event.js';
import { normaliseEmail } from '../../shared/domain/primitives.js';
import { confirmedRegistrantEmails } from '../../shared/store/registrations.js';
import { JOINED_SERIES_FIELD } from '../../shared/domain/seminar-rules.js';
import { enqueueNotice } from '../../shared/notices/send-queue.js';
import { seminarAnnounced, seriesRecording } from '../../shared/notices/series-notices.js';
import { isStale } from '../../shared/notices/notice.js';

export const handler = onEvents(
  on(SeminarScheduled, (d) => enqueueNotice(seminarAnnounced, { seminarId: d.seminarId })),
  // A scheduled seminar that joined a series (or moved to another) is new to that series' subscribers.
  on(SeminarUpdated, async (d) =>
    d.changedFields.includes(JOINED_SERIES_FIELD) ? enqueueNotice(seminarAnnounced, { seminarId: d.seminarId }) : { skipped: 'did not join a series' },
  ),
  on(SeminarRecordingPublished, async (d) => {
    const params = { seminarId: d.seminarId, url: d.url };
    const loaded = await seriesRecording.load(params);
    if (isStale(loaded)) return loaded;
    const registrants = await confirmedRegistrantEmails(d.seminarId);
    return enqueueNotice(seriesRecording, params, { loaded, only: (s) => !registrants.has(normaliseEmail(s.email)) });
  }),
);
