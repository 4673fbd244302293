/**
 * Ledger kinds of the notices about a seminar. Reminders and the streaming link name the start they were
 * sent for: when a seminar moves, registrants hear again at the new moments (once each), while a
 * redelivered event for the same start still sends nothing twice.
 */
const stamp = (start: string) => new Date(start).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');

/** `reminder-1440-20261204T110000Z`. */
export const reminderKind = (offsetMinutes: number, start: string) => `reminder-${offsetMinutes}-${stamp(start)}`;
/** `streaming-link-20261204T110000Z`. */
export const streamingLinkKind = (start: string) => `streaming-link-${stamp(start)}`;
/** One per visible change: the seminar's SEQUENCE after the move. */
export const movedKind = (sequence: number) => `moved-${sequence}`;
export const CANCELLED_KIND = 'cancelled';
export const RECORDING_KIND = 'recording';
/**
 * The announcement of a newly scheduled seminar to subscribers, whichever list they are on (the
 * seminar's series, or a funding scheme it is a guidance session of): one per person and seminar, so
 * someone who subscribes to both hears once, from whichever fan-out reaches them first.
 */
export const ANNOUNCED_KIND = 'seminar-announced';
/** To those told about a seminar as subscribers (not registered): it moved (one per SEQUENCE), or was cancelled. */
export const announcedMovedKind = (sequence: number) => `announced-moved-${sequence}`;
export const ANNOUNCED_CANCELLED_KIND = 'announced-cancelled';
