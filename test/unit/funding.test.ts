/** The pure rules of funding schemes: deadlines given as dates, reminder moments across daylight saving, updates, token subjects. */
import { describe, expect, it } from 'vitest';
import { DeadlineInput, DeadlineUpdate } from '../../shared/domain/admin-inputs.js';
import {
  applyDeadlineUpdate,
  parseDeadline,
  parseSubscriptionSub,
  promisedSessions,
  reminderAt,
  reminderMoments,
  roundSessionWords,
  roundStatus,
  subscriptionSub,
  type Deadline,
} from '../../shared/domain/funding.js';
import { multipartBoundary, parseMultipartFields } from '../../shared/http/multipart.js';

const round = (o: Partial<Deadline> = {}): Deadline => ({
  id: 'd1',
  schemeId: 's1',
  round: '2018',
  ...parseDeadline('2018-01-17'),
  reminderOffsets: [14, 3, 1],
  retiredOffsets: [],
  guidanceSessions: [],
  revision: 0,
  createdAt: '2017-10-01T08:00:00.000Z',
  updatedAt: '2017-10-01T08:00:00.000Z',
  ...o,
});

describe('deadlines', () => {
  it('a date means the end of that day in Oslo, in winter and in summer, and on both change days', () => {
    expect(parseDeadline('2018-01-17')).toEqual({ deadline: '2018-01-17T23:59:59+01:00', endOfDay: true });
    expect(parseDeadline('2017-08-21')).toEqual({ deadline: '2017-08-21T23:59:59+02:00', endOfDay: true });
    expect(parseDeadline('2027-03-28')).toEqual({ deadline: '2027-03-28T23:59:59+02:00', endOfDay: true });
    expect(parseDeadline('2026-10-25')).toEqual({ deadline: '2026-10-25T23:59:59+01:00', endOfDay: true });
  });

  it('an ISO time is kept as that instant, shown with the Oslo offset', () => {
    expect(parseDeadline('2017-08-21T10:00:00Z')).toEqual({ deadline: '2017-08-21T12:00:00+02:00', endOfDay: false });
  });

  it('reminders go out at 09:00 Oslo time, whole calendar days before, across the changes', () => {
    expect(reminderAt('2018-01-17T23:59:59+01:00', 14).toISOString()).toBe('2018-01-03T08:00:00.000Z');
    // Spring: the deadline day is in summer time, the reminder days in winter time.
    expect(reminderAt('2027-03-28T23:59:59+02:00', 1).toISOString()).toBe('2027-03-27T08:00:00.000Z');
    expect(reminderAt('2027-04-02T12:00:00+02:00', 7).toISOString()).toBe('2027-03-26T08:00:00.000Z');
    // Autumn: the deadline day is in winter time, the reminder days in summer time.
    expect(reminderAt('2026-10-25T23:59:59+01:00', 1).toISOString()).toBe('2026-10-24T07:00:00.000Z');
    expect(reminderAt('2026-10-27T12:00:00+01:00', 3).toISOString()).toBe('2026-10-24T07:00:00.000Z');
    // Across a month and a year boundary.
    expect(reminderAt('2030-01-02T23:59:59+01:00', 3).toISOString()).toBe('2029-12-30T08:00:00.000Z');
    expect(reminderMoments(round()).map((m) => m.offsetDays)).toEqual([14, 3, 1]);
  });

  it('a round is open until its deadline and closed from it', () => {
    const r = round();
    expect(roundStatus(r, new Date('2018-01-17T22:59:58Z'))).toBe('open');
    expect(roundStatus(r, new Date('2018-01-17T22:59:59Z'))).toBe('closed');
  });

  it('input: offsets default to 14, 3, 1, are deduplicated and ordered; dates must exist', () => {
    expect(DeadlineInput.parse({ round: 'R', deadline: '2030-01-17' }).reminderOffsets).toEqual([14, 3, 1]);
    expect(DeadlineInput.parse({ round: 'R', deadline: '2030-01-17', reminderOffsets: [1, 7, 1, 30] }).reminderOffsets).toEqual([30, 7, 1]);
    expect(DeadlineInput.safeParse({ round: 'R', deadline: '2030-02-29' }).success).toBe(false);
    expect(DeadlineInput.safeParse({ round: 'R', deadline: '2028-02-29' }).success).toBe(true);
    expect(DeadlineInput.safeParse({ round: 'R', deadline: '2030-01-17T12:00:00' }).success).toBe(false); // no offset
    expect(DeadlineUpdate.safeParse({}).success).toBe(false);
  });

  it('an update bumps the revision, says whether it moved, and retires removed offsets', () => {
    const r = round();
    const moved = applyDeadlineUpdate(r, { deadline: '2018-01-24' }, '2018-01-10T08:00:00.000Z');
    expect(moved.moved).toBe(true);
    expect(moved.next).toMatchObject({ deadline: '2018-01-24T23:59:59+01:00', revision: 1, reminderOffsets: [14, 3, 1], retiredOffsets: [] });
    const same = applyDeadlineUpdate(r, { deadline: '2018-01-17T22:59:59Z' }, '2018-01-10T08:00:00.000Z');
    expect(same.moved).toBe(false);
    const fewer = applyDeadlineUpdate(r, { reminderOffsets: [7] }, '2018-01-10T08:00:00.000Z');
    expect(fewer.next.retiredOffsets).toEqual([14, 3, 1]);
    const back = applyDeadlineUpdate(fewer.next, { reminderOffsets: [14, 7] }, '2018-01-10T09:00:00.000Z');
    expect(back.next).toMatchObject({ reminderOffsets: [14, 7], retiredOffsets: [3, 1], revision: 2 });
    // The move is stored with the revision that made it, and kept by changes that do not move it.
    expect(moved.next.lastMove).toEqual({ from: r.deadline, revision: 1 });
    expect(same.next.lastMove).toBeUndefined();
    const offsetsOnly = applyDeadlineUpdate(moved.next, { reminderOffsets: [7] }, '2018-01-11T08:00:00.000Z');
    expect(offsetsOnly).toMatchObject({ moved: false, next: { revision: 2, lastMove: { from: r.deadline, revision: 1 } } });
    const again = applyDeadlineUpdate(offsetsOnly.next, { deadline: '2018-01-31' }, '2018-01-12T08:00:00.000Z');
    expect(again.next.lastMove).toEqual({ from: '2018-01-24T23:59:59+01:00', revision: 3 });
  });
});

/** Seed 004: project sketches in by 21 August 2017; the five best pitch on 15 September. */
const pitchDay = { id: 'pitch', kind: 'pitch', title: 'Pitchekonkurranse: de fem beste skissene', start: '2017-09-15T09:00:00+02:00' };
const guidance = (id: string, start: string) => ({ id, kind: 'guidance-session', title: `Veiledningssamling ${id}`, start });

describe("a round's sessions and what to call them", () => {
  it('the sketch competition has a pitch day: called so in both languages, and the promise names it, not guidance sessions', () => {
    const nb = roundSessionWords([pitchDay], 'nb');
    expect(nb.groups).toHaveLength(1);
    expect(nb.groups[0]).toMatchObject({ kind: 'pitch', sessions: [pitchDay], heading: 'Pitchdag', label: 'Pitchdag', register: 'Mer om pitchdagen' });
    expect(nb.groups[0].intro).toEqual({
      page: 'De beste prosjektene inviteres til pitchdag:',
      'deadline-announced': 'De beste prosjektene inviteres til pitchdag:',
      'deadline-reminder': 'De beste prosjektene inviteres til pitchdag:',
      'deadline-moved': 'Pitchdag:',
    });
    expect(nb.promise).toBe('søknadsfrister, datoen for pitchdagen og påminnelser før fristen');
    expect(JSON.stringify({ ...nb, groups: nb.groups.map((g) => ({ ...g, sessions: [] })) })).not.toMatch(/veiledning/i);

    const en = roundSessionWords([pitchDay], 'en');
    expect(en.groups[0]).toMatchObject({ kind: 'pitch', heading: 'Pitch day', label: 'Pitch day', register: 'About the pitch day' });
    expect(en.groups[0].intro['deadline-announced']).toBe('The best projects are invited to a pitch day:');
    expect(en.promise).toBe('application deadlines, the date of the pitch day and reminders before the deadline');
    expect(JSON.stringify(en)).not.toMatch(/guidance/i);
  });

  it('guidance sessions keep their words; a round with both gets a group per kind in the order they come; none promises only deadlines and reminders', () => {
    const g1 = guidance('1', '2017-08-01T09:00:00+02:00');
    const g2 = guidance('2', '2017-08-10T09:00:00+02:00');
    const both = roundSessionWords([g1, g2, pitchDay], 'nb');
    expect(both.groups.map((g) => [g.kind, g.heading, g.sessions.length])).toEqual([
      ['guidance-session', 'Veiledningssamlinger', 2],
      ['pitch', 'Pitchdag', 1],
    ]);
    expect(both.groups[0].intro['deadline-announced']).toBe('Vi arrangerer veiledningssamlinger for dere som ønsker å søke:');
    expect(both.promise).toBe('søknadsfrister, veiledningssamlinger, datoen for pitchdagen og påminnelser før fristen');
    expect(roundSessionWords([g1], 'nb').groups[0].heading).toBe('Veiledningssamling');
    expect(roundSessionWords([g1, g2], 'en').promise).toBe('application deadlines, guidance sessions and reminders before the deadline');
    // A session without a kind (older callers) is a guidance session.
    expect(roundSessionWords([{ kind: undefined, start: g1.start }], 'en').groups[0]).toMatchObject({ kind: 'guidance-session', heading: 'Guidance session' });
    expect(roundSessionWords([], 'nb')).toEqual({ groups: [], promise: 'søknadsfrister og påminnelser før fristen' });
    expect(roundSessionWords([], 'en').promise).toBe('application deadlines and reminders before the deadline');
  });

  it("a subscription promises the sessions of the open rounds only, once each, by start: after the sketch deadline, not the pitch day", () => {
    const g1 = guidance('1', '2017-08-01T09:00:00+02:00');
    expect(promisedSessions([{ status: 'open', sessions: [pitchDay, g1] }, { status: 'open', sessions: [pitchDay] }])).toEqual([g1, pitchDay]);
    const sketchRound = round({ round: '2017', ...parseDeadline('2017-08-21') });
    const after = roundStatus(sketchRound, new Date('2017-08-22T08:00:00Z'));
    expect(after).toBe('closed');
    expect(promisedSessions([{ status: after, sessions: [pitchDay] }])).toEqual([]);
    expect(roundSessionWords(promisedSessions([{ status: after, sessions: [pitchDay] }]), 'nb').promise).toBe('søknadsfrister og påminnelser før fristen');
  });
});

describe('subscription token subjects', () => {
  it('name the target and the subscription, never the address', () => {
    const sub = subscriptionSub({ id: 'abc', target: { kind: 'scheme', id: 's-1' } });
    expect(sub).toBe('scheme.s-1.abc');
    expect(parseSubscriptionSub(sub)).toEqual({ target: { kind: 'scheme', id: 's-1' }, id: 'abc' });
    expect(parseSubscriptionSub('scheme.a@b.no.x')).toBeUndefined();
    expect(parseSubscriptionSub('seminar.1.2')).toBeUndefined();
  });
});

describe('multipart/form-data (RFC 8058 one-click from mail clients)', () => {
  it('reads the text fields', () => {
    const type = 'multipart/form-data; boundary=----formdata-undici-0123';
    const boundary = multipartBoundary(type)!;
    expect(boundary).toBe('----formdata-undici-0123');
    const body = [
      `--${boundary}`,
      'Content-Disposition: form-data; name="List-Unsubscribe"',
      '',
      'One-Click',
      `--${boundary}`,
      'Content-Disposition: form-data; name="file"; filename="x.txt"',
      'Content-Type: text/plain',
      '',
      'ignored',
      `--${boundary}--`,
      '',
    ].join('\r\n');
    expect(parseMultipartFields(body, boundary)).toEqual({ 'List-Unsubscribe': 'One-Click' });
    expect(multipartBoundary('multipart/form-data; boundary="quoted b"')).toBe('quoted b');
    expect(multipartBoundary('multipart/form-data')).toBeUndefined();
  });
});
