/** Stored records as the store keeps them, for the tests that render or send from one without a table. */
import type { Seminar } from '../../shared/domain/model.js';

/** A scheduled breakfast seminar (17 March 2027, 08:30–10:00 Oslo) with every field set; then `o`. */
export const seminarRecord = (o: Partial<Seminar> = {}): Seminar => ({
  id: 'sem123',
  title: 'Frokostseminar: Bedre styring og ledelse',
  description: 'Seks råd om samordning.\n\nVelkommen!',
  kind: 'breakfast-seminar',
  // 17 March 2027, 08:30–10:00 Oslo (CET, +01:00)
  start: '2027-03-17T07:30:00.000Z',
  end: '2027-03-17T09:00:00.000Z',
  doorsOpen: '08:00',
  venue: { name: 'Regjeringskvartalet', room: 'Plenumssalen i R4', address: 'Einar Gerhardsens plass 1' },
  program: [{ start: '08:30', end: '09:00', title: 'Velkommen', speakers: [{ name: 'Ruth Astrid Sæter', title: 'seminarleder' }] }],
  speakers: [{ name: 'Kåre Svensson', organisation: 'Partnerforum/UiO' }],
  contacts: [{ name: 'Kari Kontakt', title: 'rådgiver', phone: '+47 22 00 00 00', email: 'kari@example.no' }],
  capacity: 150,
  livestream: true,
  physicalOpen: true,
  digitalOpen: true,
  eligibility: { kind: 'open' },
  doubleOptIn: true,
  reminderOffsetsMinutes: [1440],
  streamingLinkOffsetMinutes: 120,
  streamingUrl: 'https://example.no/secret-stream',
  language: 'nb',
  status: 'scheduled',
  seatsTaken: 10,
  sequence: 0,
  createdAt: '2026-11-01T10:00:00.000Z',
  updatedAt: '2026-11-01T10:00:00.000Z',
  ...o,
});
