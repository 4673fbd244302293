/**
 * The notices to a seminar's registrants (notice.ts): each reads the seminar as stored and says whether the
 * notice is due, and what each registrant's email says. The fan-out functions (functions/seminars/) and
 * the sender (functions/email/send-notices.ts) both ask these, so a notice enqueued just before the seminar
 * was cancelled or moved again sends nothing stale.
 */
import { getSeminar } from '../store/seminars.js';
import { momentHasCome, sameInstant, seminarMoments, storedMove } from '../domain/seminar-rules.js';
import { attendsOnline } from '../domain/registration-lifecycle.js';
import { now } from '../clock.js';
import { SEMINAR_CANCELLED_KIND, recordingKind, seminarMovedKind, seminarReminderKind, streamingLinkKind } from '../email/ledger-kinds.js';
import { defineNotice, stale, type RegistrantsNotice } from './notice.js';

/** A reminder `offsetMinutes` before the start `start`: a schedule made for an old start or a removed offset is stale, and so is one early. */
export const seminarReminder = defineNotice('seminar-reminder', async (p: { seminarId: string; start: string; offsetMinutes: number }) => {
  const s = await getSeminar(p.seminarId, true);
  if (!s || s.status !== 'scheduled' || !sameInstant(s.start, p.start) || !s.reminderOffsetsMinutes.includes(p.offsetMinutes)) {
    return stale('the seminar as stored has no such reminder (moved, cancelled or offset removed)');
  }
  if (!momentHasCome(s, { kind: 'reminder', offsetMinutes: p.offsetMinutes }, now())) return stale('its moment has not come for the seminar as stored');
  const streamingLinkAt = seminarMoments(s).find((m) => m.kind === 'streaming-link')?.at;
  return {
    audience: 'registrants',
    seminar: s,
    kind: seminarReminderKind(p.offsetMinutes, s.start),
    notice: 'reminder',
    bulk: true,
    build: (r) => ({
      kind: 'seminar-reminder',
      name: r.name,
      attendance: r.attendance ?? 'digital',
      streamingUrl: attendsOnline(r) && s.streamingLinkSentAt ? s.streamingUrl : undefined,
      streamingLinkAt,
    }),
  } satisfies RegistrantsNotice;
});

/** The streaming link, for the start `start`: sent once its moment has come, to physical and digital registrants alike. */
export const streamingLink = defineNotice('streaming-link', async (p: { seminarId: string; start: string }) => {
  const s = await getSeminar(p.seminarId, true);
  if (!s || s.status !== 'scheduled' || !s.livestream || !sameInstant(s.start, p.start)) return stale('not a scheduled livestream at this start');
  if (!momentHasCome(s, { kind: 'streaming-link' }, now())) return stale('its moment has not come for the seminar as stored');
  const url = s.streamingUrl;
  if (!url) return stale('no streaming URL set');
  return {
    audience: 'registrants',
    seminar: s,
    kind: streamingLinkKind(s.start),
    notice: 'streaming-link',
    bulk: true,
    build: (r) => ({ kind: 'streaming-link', name: r.name, streamingUrl: url }),
  } satisfies RegistrantsNotice;
});

/** The move numbered `sequence` (the seminar's stored `lastMove`), with an updated `.ics`: only while it is the latest move. */
export const seminarMoved = defineNotice('seminar-moved', async (p: { seminarId: string; sequence: number }) => {
  const s = await getSeminar(p.seminarId, true);
  if (!s || s.status !== 'scheduled') return stale('not scheduled');
  const move = storedMove(s);
  if (!move || move.sequence !== p.sequence) return stale('not the seminar\'s latest move as stored');
  return {
    audience: 'registrants',
    seminar: s,
    kind: seminarMovedKind(move.sequence),
    notice: 'moved',
    invite: 'REQUEST',
    bulk: true,
    build: (r) => ({ kind: 'seminar-moved', name: r.name, previousStart: move.previousStart, attendance: r.attendance, calendarAttached: true }),
  } satisfies RegistrantsNotice;
});

/**
 * The cancellation, with an `.ics` METHOD:CANCEL, quoting the admin's reason as the cancel route stored it
 * with the seminar (what an event says of it is not read: anyone who may put events could write it).
 */
export const seminarCancelled = defineNotice('seminar-cancelled', async (p: { seminarId: string }) => {
  const s = await getSeminar(p.seminarId, true);
  if (!s || s.status !== 'cancelled') return stale('not cancelled');
  return {
    audience: 'registrants',
    seminar: s,
    kind: SEMINAR_CANCELLED_KIND,
    notice: 'cancelled',
    invite: 'CANCEL',
    bulk: true,
    build: (r) => ({ kind: 'seminar-cancelled', name: r.name, reason: s.cancellationReason, calendarAttached: true }),
  } satisfies RegistrantsNotice;
});

/** The recording link `url`, once per URL: only while it is the seminar's stored recording (a corrected one says so). */
export const recordingPublished = defineNotice('recording-published', async (p: { seminarId: string; url: string }) => {
  const s = await getSeminar(p.seminarId, true);
  if (!s || s.status === 'draft') return stale('not published');
  const url = s.recordingUrl;
  if (!url || url !== p.url) return stale('not the seminar\'s recording as stored');
  const correction = Boolean(s.correctedRecordingUrl);
  return {
    audience: 'registrants',
    seminar: s,
    kind: recordingKind(url),
    notice: 'recording',
    bulk: true,
    build: (r) => ({ kind: 'recording-published', name: r.name, recordingUrl: url, correction }),
  } satisfies RegistrantsNotice;
});
