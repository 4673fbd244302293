/**
 * The vertical slice through the local cloud: admin creates and schedules a seminar → SeminarScheduled
 * on the bus → the handler publishes it and creates its schedules → the public routes show it → moving
 * the clock fires SeminarReminderDue to its handler.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { api, daysFromNow, idle, resetClock, setClock } from '../support/local.js';
import { seminarInput } from '../support/seminars.js';

const seminar = () =>
  seminarInput({
    title: 'Frokostseminar: Bedre styring og ledelse',
    kind: 'breakfast-seminar',
    start: daysFromNow(10, 7),
    end: daysFromNow(10, 9),
    doorsOpen: '08:00',
    capacity: 150,
    streamingUrl: 'https://example.no/secret-stream',
    reminderOffsetsMinutes: [1440, 60],
  });

describe('vertical slice', () => {
  afterAll(async () => {
    await resetClock();
  });

  it('answers health and serves an OpenAPI document generated from the wiring', async () => {
    expect((await api('GET', '/health')).body).toEqual({ status: 'ok' });
    const doc = (await api('GET', '/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/seminars', '/seminars/{seminarId}', '/admin/seminars']));
    const createBody = doc.paths['/admin/seminars'].post.requestBody.content['application/json'].schema;
    expect(createBody.required).toEqual(expect.arrayContaining(['title', 'start', 'end', 'capacity']));
    expect(doc.paths['/admin/seminars'].post.security).toEqual([{ bearer: [] }]);
  });

  it('creates, schedules, publishes and fires the reminder schedule', async () => {
    const created = await api('POST', '/admin/seminars', { body: seminar() });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('draft');
    const id = created.body.id as string;

    // A draft is not public.
    expect((await api('GET', `/seminars/${id}`)).status).toBe(404);

    const scheduled = await api('POST', `/admin/seminars/${id}/schedule`);
    expect(scheduled.status).toBe(202);
    expect(scheduled.body.eventId).toMatch(/[0-9a-f-]{36}/);
    await idle();

    const one = await api('GET', `/seminars/${id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id, status: 'scheduled', seatsLeft: 150, physicalRegistrationOpen: true });
    expect(one.text).not.toContain('secret-stream');
    const list = await api('GET', '/seminars');
    expect(list.body.items.map((s: { id: string }) => s.id)).toContain(id);
    expect(list.text).not.toContain('secret-stream');

    const schedules = (await api('GET', '/_local/schedules')).body.items as Array<{ Name: string; Target: { EventBridgeParameters: { DetailType: string } } }>;
    const mine = schedules.filter((s) => s.Name.includes(id)).map((s) => [s.Name, s.Target.EventBridgeParameters.DetailType]);
    expect(mine).toEqual(
      expect.arrayContaining([
        [`sem-${id}-reminder-1440`, 'SeminarReminderDue'],
        [`sem-${id}-reminder-60`, 'SeminarReminderDue'],
        [`sem-${id}-stream`, 'StreamingLinkDue'],
      ]),
    );

    const before = (await api('GET', '/_local/status')).body.bus.stats.deliveries as number;
    // A minute after the 1-day reminder's moment (the start − 1440 minutes), whatever the time of day
    // the test runs at: the 1-day reminder is due, the 1-hour one not yet.
    const oneDayBefore = Date.parse(created.body.start as string) - 1440 * 60_000;
    const moved = await setClock(new Date(oneDayBefore + 60_000).toISOString());
    expect(moved.fired).toBeGreaterThanOrEqual(1);
    const after = await api('GET', '/_local/status');
    expect(after.body.bus.stats.deliveries).toBeGreaterThan(before);
    expect(after.body.bus.deadLetters).toBe(0);
    const left = ((await api('GET', '/_local/schedules')).body.items as Array<{ Name: string }>).map((s) => s.Name);
    expect(left).not.toContain(`sem-${id}-reminder-1440`); // ActionAfterCompletion DELETE
    expect(left).toContain(`sem-${id}-reminder-60`);
  });

  it('rejects invalid seminars with problem+json naming the fields', async () => {
    const res = await api('POST', '/admin/seminars', { body: { ...seminar(), title: '', end: daysFromNow(1), capacity: -1 } });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['title', 'capacity']));
  });

  it('refuses admin routes without a valid token', async () => {
    expect((await api('GET', '/admin/seminars', { token: null })).status).toBe(401);
    expect((await api('GET', '/admin/seminars', { token: 'not.a.jwt' })).status).toBe(401);
  });
});
