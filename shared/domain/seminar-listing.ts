/**
 * A seminar as the admin list shows it (`GET /admin/seminars`): the record, and what the list adds from
 * the seminar's own counters (no query per seminar): seats taken and left of the capacity, the waitlist's
 * length, and whether it is upcoming, running or over.
 */
import type { Seminar } from './model.js';
import { seatsLeft, seminarPhase, waitlistLength, type SeminarPhase } from './registration-lifecycle.js';

export type SeminarListing = Seminar & { phase: SeminarPhase; seatsLeft: number; waitlistLength: number };

export function seminarListing(s: Seminar, now: Date): SeminarListing {
  return { ...s, phase: seminarPhase(s, now), seatsLeft: seatsLeft(s), waitlistLength: waitlistLength(s) };
}
