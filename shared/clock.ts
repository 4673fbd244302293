/**
 * The one source of "now" for the domain. On AWS it is the system clock. The local cloud runs the
 * handlers in its own process and moves this clock with its control API, so a test can say "it is now
 * one hour before the seminar"; handlers just call `now()`.
 */
let offsetMs = 0;

export function now(): Date {
  return new Date(Date.now() + offsetMs);
}

export function nowMs(): number {
  return Date.now() + offsetMs;
}

/** Used by the local cloud's clock only. */
export function setClockOffset(ms: number): void {
  offsetMs = ms;
}

export function clockOffset(): number {
  return offsetMs;
}
