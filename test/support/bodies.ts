/**
 * Request bodies and dates that the tests (and the benchmarks that drive a cloud with test/support/fanout.ts)
 * share. Plain data, no vitest: a benchmark imports it outside the test runner.
 */

import { osloDate, osloLocalToInstant } from '../../shared/domain/time.js';

/** An ISO time `days` from now (local clock not considered), at the given UTC hour. */
export function daysFromNow(days: number, hourUtc = 11): string {
  const d = new Date(Date.now() + days * 86400_000);
  d.setUTCHours(hourUtc, 0, 0, 0);
  return d.toISOString();
}

/**
 * An ISO time `days` from now at `time` on Oslo's clocks (`HH:MM`): the same hour of the day in winter and
 * in summer time, where `daysFromNow`'s UTC hour moves by one on Oslo's clocks.
 */
export function daysFromNowOslo(days: number, time: string): string {
  return osloLocalToInstant(osloDate(Date.now() + days * 86400_000), time).toISOString();
}

/**
 * A whole seminar body for `POST`/`PUT /admin/seminars`: the seed's partner forum seminar (in
 * Regjeringskvartalet, ten days ahead, 100 seats, a livestream), then `o`. Each test file passes what
 * it is about.
 */
export const seminarInput = (o: Record<string, unknown> = {}): Record<string, unknown> => ({
  title: 'Samordning i statsforvaltningen: Med blanke ark?',
  kind: 'seminar',
  description: 'Godt samarbeid på tvers av sektorer, nivåer og fagdisipliner er en forutsetning.\n\nSeminaret er det sjette og siste i serien.',
  // 12:00–16:00 Oslo time, as its doors and programme are.
  start: daysFromNowOslo(10, '12:00'),
  end: daysFromNowOslo(10, '16:00'),
  doorsOpen: '12:00',
  venue: { name: 'Regjeringskvartalet', room: 'Plenumssalen i R4', address: 'Einar Gerhardsens plass 1' },
  program: [
    { start: '12:30', end: '13:20', title: 'Velkommen ved seminarleder', speakers: [{ name: 'Ruth Astrid Sæter', title: 'seminarleder' }] },
    { start: '13:40', title: 'Brukersentrert innovasjon på tvers av sektorer', speakers: [{ name: 'Adélie Dorseuil', organisation: 'Helsedirektoratet' }] },
  ],
  speakers: [{ name: 'Kåre Svensson', title: 'seniorrådgiver', organisation: 'Partnerforum/UiO' }],
  capacity: 100,
  streamingUrl: 'https://example.no/stream-secret-xyz',
  ...o,
});
