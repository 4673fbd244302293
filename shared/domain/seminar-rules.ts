/** Pure rules about seminars: what the public sees, which moments to schedule (what is open: registration-lifecycle.ts). */
import type { Seminar } from './model.js';
import { registrationState } from './registration-lifecycle.js';

/** What anyone may see of a seminar: never the streaming URL, never the invitation list. */
export function publicSeminar(s: Seminar, now: Date) {
  const state = registrationState(s, now);
  return {
    id: s.id,
    title: s.title,
    kind: s.kind,
    description: s.description,
    seriesId: s.seriesId,
    schemeId: s.schemeId,
    start: s.start,
    end: s.end,
    doorsOpen: s.doorsOpen,
    venue: s.venue,
    program: s.program,
    speakers: s.speakers,
    contacts: s.contacts.map(({ name, title, phone, email }) => ({ name, title, phone, email })),
    capacity: s.capacity,
    seatsLeft: state.seatsLeft,
    livestream: s.livestream,
    physicalDeadline: s.physicalDeadline,
    digitalDeadline: s.digitalDeadline,
    physicalRegistrationOpen: state.physical.open,
    digitalRegistrationOpen: state.digital.open,
    status: s.status,
    eligibility:
      s.eligibility.kind === 'open'
        ? { kind: 'open' as const }
        : { kind: 'restricted' as const, description: s.eligibility.description },
    recordingUrl: s.recordingUrl,
  };
}

/** A moment to schedule for a seminar: reminders and the streaming link. */
export type SeminarMoment =
  | { kind: 'reminder'; at: Date; offsetMinutes: number }
  | { kind: 'streaming-link'; at: Date; offsetMinutes: number };

export function seminarMoments(s: Pick<Seminar, 'start' | 'reminderOffsetsMinutes' | 'streamingLinkOffsetMinutes' | 'livestream'>): SeminarMoment[] {
  const start = Date.parse(s.start);
  const moments: SeminarMoment[] = [...new Set(s.reminderOffsetsMinutes)].map((m) => ({
    kind: 'reminder',
    at: new Date(start - m * 60_000),
    offsetMinutes: m,
  }));
  if (s.livestream) {
    moments.push({ kind: 'streaming-link', at: new Date(start - s.streamingLinkOffsetMinutes * 60_000), offsetMinutes: s.streamingLinkOffsetMinutes });
  }
  return moments;
}

/** How early a due event may arrive for its moment (scheduler jitter, clocks a little apart). */
export const MOMENT_TOLERANCE_MS = 60_000;

/**
 * Whether a moment of the seminar as stored (a reminder offset it has, or its streaming link) has come
 * at `at`, within `MOMENT_TOLERANCE_MS`. A due event put before its moment, or for a moment the seminar
 * does not have, is not acted on.
 */
export function momentHasCome(
  s: Parameters<typeof seminarMoments>[0],
  moment: { kind: 'reminder'; offsetMinutes: number } | { kind: 'streaming-link' },
  at: Date,
  toleranceMs = MOMENT_TOLERANCE_MS,
): boolean {
  const m = seminarMoments(s).find((x) => x.kind === moment.kind && (moment.kind === 'streaming-link' || x.offsetMinutes === moment.offsetMinutes));
  return m !== undefined && at.getTime() >= m.at.getTime() - toleranceMs;
}

/**
 * The move registrants are told of, from the seminar as stored: its last move (written by the update
 * that moved it), if the start is still not where it was moved from. An update event claiming a move
 * (its `previousStart`) names no move by itself.
 */
export function storedMove(s: Pick<Seminar, 'start' | 'lastMove'>): { previousStart: string; sequence: number } | undefined {
  if (!s.lastMove || sameInstant(s.lastMove.from, s.start)) return undefined;
  return { previousStart: s.lastMove.from, sequence: s.lastMove.sequence };
}

/** The same instant written two ways (offsets) is the same start. */
export function sameInstant(a: string, b: string): boolean {
  return Date.parse(a) === Date.parse(b);
}

/** Named in `SeminarUpdated.changedFields` when a scheduled seminar joined a series (or moved to another). */
export const JOINED_SERIES_FIELD = 'seriesId';
