/**
 * Local EventBridge Scheduler: the REST-JSON API of CreateSchedule, GetSchedule, UpdateSchedule,
 * DeleteSchedule and ListSchedules; one-time `at()` expressions with ScheduleExpressionTimezone;
 * ActionAfterCompletion; a due schedule puts its target event on the local bus. Schedules are kept in
 * a JSON file so they survive a restart.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { awsError } from './bus.js';

export interface StoredSchedule {
  Name: string;
  GroupName: string;
  Arn: string;
  ScheduleExpression: string;
  ScheduleExpressionTimezone: string;
  Description?: string;
  State: 'ENABLED' | 'DISABLED';
  ActionAfterCompletion: 'NONE' | 'DELETE';
  FlexibleTimeWindow: { Mode: string; MaximumWindowInMinutes?: number };
  Target: {
    Arn: string;
    RoleArn: string;
    Input?: string;
    EventBridgeParameters?: { DetailType: string; Source: string };
    RetryPolicy?: unknown;
    DeadLetterConfig?: unknown;
  };
  CreationDate: number;
  LastModificationDate: number;
  /** Epoch ms when the `at()` expression falls due. */
  dueAt: number;
  /** Set once fired (for ActionAfterCompletion NONE). */
  firedAt?: number;
}

export interface SchedulerOptions {
  account: string;
  region: string;
  file?: string;
  now: () => number;
  /** Puts the target event on the bus. */
  fire: (s: StoredSchedule) => Promise<void>;
  log?: (line: string) => void;
}

const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;

/** The UTC instant of a wall-clock time in an IANA zone (two passes handle DST). */
export function zonedToUtc(local: string, timeZone: string): number {
  const asUtc = Date.parse(`${local}Z`);
  if (Number.isNaN(asUtc)) return NaN;
  const offsetAt = (t: number) => {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    }).formatToParts(new Date(t));
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
    return wall - Math.floor(t / 1000) * 1000;
  };
  let guess = asUtc - offsetAt(asUtc);
  guess = asUtc - offsetAt(guess);
  return guess;
}

export function parseAt(expression: string, timeZone = 'UTC'): number {
  const m = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expression);
  if (!m) return NaN;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    return NaN;
  }
  return zonedToUtc(m[1], timeZone);
}

export class LocalScheduler {
  private readonly schedules = new Map<string, StoredSchedule>();
  private firing: Promise<void> = Promise.resolve();
  readonly stats = { created: 0, updated: 0, deleted: 0, fired: 0 };

  constructor(private readonly opts: SchedulerOptions) {
    if (opts.file && existsSync(opts.file)) {
      const saved = JSON.parse(readFileSync(opts.file, 'utf8')) as StoredSchedule[];
      for (const s of saved) this.schedules.set(key(s.GroupName, s.Name), s);
    }
  }

  private persist(): void {
    if (!this.opts.file) return;
    const tmp = `${this.opts.file}.tmp`;
    writeFileSync(tmp, JSON.stringify([...this.schedules.values()]));
    renameSync(tmp, this.opts.file);
  }

  list(): StoredSchedule[] {
    return [...this.schedules.values()];
  }

  /** Fires every enabled schedule that is due, in time order; resolves when their events are on the bus. */
  fireDue(): Promise<void> {
    this.firing = this.firing.then(async () => {
      const now = this.opts.now();
      const due = [...this.schedules.values()]
        .filter((s) => s.State === 'ENABLED' && s.firedAt === undefined && s.dueAt <= now)
        .sort((a, b) => a.dueAt - b.dueAt);
      for (const s of due) {
        try {
          await this.opts.fire(s);
          this.stats.fired++;
        } catch (err) {
          this.opts.log?.(`[scheduler] ${s.Name} could not put its event: ${(err as Error).message}; will retry`);
          continue;
        }
        if (s.ActionAfterCompletion === 'DELETE') this.schedules.delete(key(s.GroupName, s.Name));
        else s.firedAt = now;
      }
      if (due.length) this.persist();
    });
    return this.firing;
  }

  /** REST routing: method + path (+ query) as the SDK sends them. */
  handleRequest(method: string, path: string, query: URLSearchParams, body: Record<string, unknown>): { status: number; body: unknown } {
    const m = /^\/schedules(?:\/([^/]+))?$/.exec(path);
    if (!m) return awsError(404, 'ResourceNotFoundException', `No such resource ${path}`);
    const name = m[1] ? decodeURIComponent(m[1]) : undefined;
    if (!name) {
      if (method !== 'GET') return awsError(405, 'ValidationException', 'Method not allowed');
      return this.listSchedules(query);
    }
    const group = (method === 'GET' || method === 'DELETE' ? query.get('groupName') : (body.GroupName as string)) || 'default';
    switch (method) {
      case 'POST':
        return this.upsert(name, group, body, false);
      case 'PUT':
        return this.upsert(name, group, body, true);
      case 'GET': {
        const s = this.schedules.get(key(group, name));
        if (!s) return awsError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
        const { dueAt: _d, firedAt: _f, ...out } = s;
        return { status: 200, body: out };
      }
      case 'DELETE': {
        if (!this.schedules.delete(key(group, name))) return awsError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
        this.stats.deleted++;
        this.persist();
        return { status: 200, body: {} };
      }
      default:
        return awsError(405, 'ValidationException', 'Method not allowed');
    }
  }

  private upsert(name: string, group: string, body: Record<string, unknown>, update: boolean) {
    if (!NAME.test(name)) return awsError(400, 'ValidationException', 'Name must be 1-64 characters of [0-9a-zA-Z-_.]');
    const expression = String(body.ScheduleExpression ?? '');
    const tz = String(body.ScheduleExpressionTimezone ?? 'UTC');
    const dueAt = parseAt(expression, tz);
    if (Number.isNaN(dueAt)) {
      return awsError(400, 'ValidationException', `Invalid Schedule Expression ${expression}: the local scheduler supports at(yyyy-mm-ddThh:mm:ss) with a valid ScheduleExpressionTimezone`);
    }
    const target = body.Target as StoredSchedule['Target'] | undefined;
    if (!target?.Arn || !target.RoleArn) return awsError(400, 'ValidationException', 'Target.Arn and Target.RoleArn are required');
    if (!body.FlexibleTimeWindow) return awsError(400, 'ValidationException', 'FlexibleTimeWindow is required');
    const k = key(group, name);
    const existing = this.schedules.get(k);
    if (update && !existing) return awsError(404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
    if (!update && existing) return awsError(409, 'ConflictException', `Schedule ${name} already exists.`);
    const nowSec = Math.floor(this.opts.now() / 1000);
    const arn = `arn:aws:scheduler:${this.opts.region}:${this.opts.account}:schedule/${group}/${name}`;
    this.schedules.set(k, {
      Name: name,
      GroupName: group,
      Arn: arn,
      ScheduleExpression: expression,
      ScheduleExpressionTimezone: tz,
      Description: body.Description as string | undefined,
      State: (body.State as 'ENABLED' | 'DISABLED') ?? 'ENABLED',
      ActionAfterCompletion: (body.ActionAfterCompletion as 'NONE' | 'DELETE') ?? 'NONE',
      FlexibleTimeWindow: body.FlexibleTimeWindow as StoredSchedule['FlexibleTimeWindow'],
      Target: target,
      CreationDate: existing?.CreationDate ?? nowSec,
      LastModificationDate: nowSec,
      dueAt,
    });
    if (update) this.stats.updated++;
    else this.stats.created++;
    this.persist();
    return { status: 200, body: { ScheduleArn: arn } };
  }

  private listSchedules(query: URLSearchParams) {
    const group = query.get('ScheduleGroup');
    const prefix = query.get('NamePrefix') ?? '';
    const state = query.get('State');
    const max = Math.min(100, Number(query.get('MaxResults') ?? 100) || 100);
    const start = Number(query.get('NextToken') ?? 0) || 0;
    const all = [...this.schedules.values()]
      .filter((s) => (!group || s.GroupName === group) && s.Name.startsWith(prefix) && (!state || s.State === state))
      .sort((a, b) => a.Name.localeCompare(b.Name));
    const page = all.slice(start, start + max);
    return {
      status: 200,
      body: {
        Schedules: page.map((s) => ({
          Arn: s.Arn,
          Name: s.Name,
          GroupName: s.GroupName,
          State: s.State,
          CreationDate: s.CreationDate,
          LastModificationDate: s.LastModificationDate,
          Target: { Arn: s.Target.Arn },
        })),
        NextToken: start + max < all.length ? String(start + max) : undefined,
      },
    };
  }
}

const key = (group: string, name: string) => `${group}/${name}`;
