/**
 * The admin command line: `npm run admin -- <command> [options]`. It speaks only the admin HTTP API, so
 * it works the same against the local cloud and a deployed stack:
 *
 *   npm run admin -- list-seminars
 *   npm run admin -- --api https://abc.execute-api.eu-north-1.amazonaws.com --token "$TOKEN" list-seminars
 *
 * The API is `--api`, else SEMINAR_API_URL, else the local cloud at http://localhost:$API_PORT (3000 when
 * API_PORT is not set, as for `npm start`). Every time it prints is Oslo time, and says so. The token is
 * `--token`, else SEMINAR_TOKEN, else (local API only) one minted with the local cloud's key in
 * `.data/` (LOCAL_DATA_DIR), as `npm run -s admin:token` does.
 *
 * Long operations (importing several seminars, exporting, watching a fan-out) show a progress bar when
 * stderr is a terminal and plain lines otherwise. Errors are one line on stderr, and the exit code is 1.
 */
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { extname, join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { toOsloIso } from '../shared/domain/time.js';
import { REGISTRANTS_PAGE } from '../shared/domain/admin-inputs.js';
import { deliveryKey } from '../shared/domain/cursor.js';

class CliError extends Error {}

// ── Output ─────────────────────────────────────────────────────────────────────────────────────

const out = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

/** A progress bar on a terminal (stderr), plain lines otherwise (stdout). */
class Progress {
  private readonly tty = Boolean(process.stderr.isTTY);
  private drawn = false;
  constructor(private readonly label: string, private total?: number) {}

  setTotal(total: number) {
    this.total = total;
  }

  /** Draws the bar (TTY), or prints `line` when one is given (not a TTY). */
  update(done: number, line?: string) {
    if (!this.tty) {
      if (line) out(line);
      return;
    }
    const width = 30;
    const total = this.total && this.total > 0 ? this.total : undefined;
    const share = total ? Math.min(1, done / total) : 0;
    const bar = total ? `${'█'.repeat(Math.round(share * width))}${'░'.repeat(width - Math.round(share * width))}` : '';
    const count = total ? `${done}/${total} ${Math.round(share * 100)}%` : `${done}`;
    process.stderr.write(`\r\x1b[2K${this.label} ${bar} ${count}`);
    this.drawn = true;
  }

  /** Prints a line above the bar on a terminal (the bar is redrawn by the next update). */
  log(line: string) {
    if (this.tty && this.drawn) process.stderr.write('\r\x1b[2K');
    out(line);
  }

  done(summary?: string) {
    if (this.tty && this.drawn) process.stderr.write('\r\x1b[2K');
    if (summary) out(summary);
  }
}

// ── HTTP ───────────────────────────────────────────────────────────────────────────────────────

interface Client {
  api: string;
  token: string;
  json: boolean;
}

interface Problem {
  title?: string;
  detail?: string;
  message?: string;
  errors?: Array<{ field: string; message: string }>;
}

function problemLine(status: number, text: string): string {
  let p: Problem = {};
  try {
    p = JSON.parse(text) as Problem;
  } catch {
    p = { detail: text.slice(0, 200) };
  }
  const what = p.detail ?? p.message ?? p.title ?? 'request failed';
  const fields = p.errors?.length ? ` (${p.errors.map((e) => `${e.field}: ${e.message}`).join('; ')})` : '';
  const hint = status === 401 ? ' — the token is missing, expired or not for this API' : status === 403 ? ' — the token is not of the admins group' : '';
  return `${status} ${p.title && p.title !== what ? `${p.title}: ` : ''}${what}${fields}${hint}`.replace(/\s+/g, ' ');
}

async function request(c: Client, method: string, path: string, opts: { body?: unknown; accept?: string; contentType?: string } = {}): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(`${c.api}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${c.token}`,
        accept: opts.accept ?? 'application/json',
        ...(opts.body === undefined ? {} : { 'content-type': opts.contentType ?? 'application/json' }),
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const local = /^https?:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(c.api) ? ' (is the local cloud running? npm start)' : '';
    throw new CliError(`cannot reach ${c.api}: ${cause?.code ?? cause?.message ?? (err as Error).message}${local}`);
  }
  if (!res.ok) throw new CliError(`${method} ${path}: ${problemLine(res.status, await res.text())}`);
  return res;
}

async function call<T = Record<string, unknown>>(c: Client, method: string, path: string, body?: unknown): Promise<T> {
  const res = await request(c, method, path, { body, contentType: method === 'PATCH' ? 'application/merge-patch+json' : undefined });
  const text = await res.text();
  return (text ? JSON.parse(text) : {}) as T;
}

// ── Helpers ────────────────────────────────────────────────────────────────────────────────────

const oslo = new Intl.DateTimeFormat('nb-NO', { timeZone: 'Europe/Oslo', dateStyle: 'short', timeStyle: 'short' });
const isTime = (iso: unknown): iso is string => typeof iso === 'string' && !Number.isNaN(Date.parse(iso));
/** Date and clock time in Oslo, e.g. `04.12.2026, 12:00`, for a column headed "(OSLO)" or a line that says "Oslo time". */
const osloTime = (iso: unknown) => (isTime(iso) ? oslo.format(new Date(iso)) : '');
/** A moment to the second with its Oslo offset, e.g. `2026-12-04 12:00:05+01:00`, for a column headed "(OSLO)". */
const osloStamp = (iso: unknown) => (isTime(iso) ? toOsloIso(new Date(Math.floor(Date.parse(iso) / 1000) * 1000)).replace('T', ' ') : '');
/** A moment in a line of text, labelled: `2026-12-04 12:00:05+01:00 Oslo time`. */
const osloAt = (iso: unknown) => (isTime(iso) ? `${osloStamp(iso)} Oslo time` : '');
/** The local cloud's API, on the port `npm start` reads (API_PORT). */
const localApi = () => `http://localhost:${process.env.API_PORT || 3000}`;
const enc = encodeURIComponent;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function need(positionals: string[], i: number, what: string): string {
  const v = positionals[i];
  if (v === undefined || v === '') throw new CliError(`missing ${what}`);
  return v;
}

/** A JSON or YAML document from a file (by extension; content sniffing for others), or stdin with `-`. */
function readDocument(file: string): unknown {
  let text: string;
  try {
    text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(resolve(file), 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const ext = extname(file).toLowerCase();
  try {
    if (ext === '.json' || (ext !== '.yaml' && ext !== '.yml' && /^\s*[[{]/.test(text))) return JSON.parse(text);
    return parseYaml(text);
  } catch (err) {
    throw new CliError(`${file} is not valid ${ext === '.json' ? 'JSON' : 'JSON or YAML'}: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** `--reminders 14,3,1`: whole days before a deadline. */
function reminderDays(given: string): number[] {
  const days = given.split(',').map((d) => Number(d.trim()));
  if (days.some((d) => !Number.isInteger(d) || d < 1)) throw new CliError(`--reminders must be whole days, comma-separated, like 14,3,1; got ${given}`);
  return days;
}

function table(rows: string[][]) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) out(r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd());
}

function printJson(v: unknown) {
  out(JSON.stringify(v, null, 2));
}

// ── Commands ───────────────────────────────────────────────────────────────────────────────────

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | string[] | undefined>;

interface Command {
  name: string;
  usage: string;
  summary: string;
  options?: Options;
  optionHelp?: string[];
  run(c: Client, positionals: string[], values: Values): Promise<void>;
}

interface SeminarRow {
  id: string;
  title: string;
  status: string;
  start: string;
  capacity: number;
  seatsTaken: number;
  waitlistLength?: number;
}

const commands: Command[] = [
  {
    name: 'list-seminars',
    usage: 'list-seminars [--status draft|scheduled|cancelled]',
    summary: 'List every seminar (drafts included): id, status, start (Oslo time), seats taken, waitlist, title',
    options: { status: { type: 'string' } },
    optionHelp: ['--status <s>   only seminars with this status'],
    async run(c, _p, v) {
      const { items } = await call<{ items: SeminarRow[] }>(c, 'GET', '/admin/seminars');
      const rows = items.filter((s) => !v.status || s.status === v.status);
      if (c.json) return printJson(rows);
      if (rows.length === 0) return out('no seminars');
      table([
        ['ID', 'STATUS', 'START (OSLO)', 'SEATS', 'WAITLIST', 'TITLE'],
        ...rows.map((s) => [s.id, s.status, osloTime(s.start), `${s.seatsTaken}/${s.capacity}`, String(s.waitlistLength ?? 0), s.title]),
      ]);
    },
  },
  {
    name: 'create-seminar',
    usage: 'create-seminar <file.json|file.yaml|-> [--schedule]',
    summary: 'Create draft seminars from a JSON or YAML file: one seminar, a list, or { seminars: [...] }',
    options: { schedule: { type: 'boolean' } },
    optionHelp: ['--schedule     schedule (publish) each seminar right after creating it'],
    async run(c, p, v) {
      const file = need(p, 0, 'the file with the seminar (JSON or YAML)');
      const doc = readDocument(file);
      const list = Array.isArray(doc) ? doc : doc && typeof doc === 'object' && Array.isArray((doc as { seminars?: unknown }).seminars) ? (doc as { seminars: unknown[] }).seminars : [doc];
      if (list.length === 0) throw new CliError(`${file} holds no seminars`);
      const progress = new Progress('creating', list.length);
      const created: Array<Record<string, unknown>> = [];
      for (const [i, body] of list.entries()) {
        let s: SeminarRow & { eventId?: string };
        try {
          s = await call<SeminarRow>(c, 'POST', '/admin/seminars', body);
        } catch (err) {
          progress.done();
          const which = list.length > 1 ? ` (seminar ${i + 1} of ${list.length}; ${created.length} created before it)` : '';
          throw new CliError(`${(err as Error).message}${which}`);
        }
        let line = `created ${s.id} ${s.title}`;
        if (v.schedule) {
          const r = await call<{ eventId: string }>(c, 'POST', `/admin/seminars/${enc(s.id)}/schedule`);
          s = { ...s, eventId: r.eventId, status: 'scheduling' };
          line += ` (scheduled, event ${r.eventId})`;
        }
        created.push(s as unknown as Record<string, unknown>);
        if (c.json) continue;
        if (list.length === 1) out(line);
        else {
          progress.log(`${i + 1}/${list.length} ${line}`);
          progress.update(i + 1);
        }
      }
      if (c.json) return printJson(list.length === 1 && !Array.isArray(doc) ? created[0] : created);
      if (list.length > 1) progress.done(`created ${created.length} seminar${created.length === 1 ? '' : 's'}${v.schedule ? ' and scheduled them' : ''}`);
    },
  },
  {
    name: 'schedule',
    usage: 'schedule <seminarId>',
    summary: 'Schedule (publish) a seminar: opens registration, creates reminders → SeminarScheduled',
    async run(c, p) {
      const id = need(p, 0, 'the seminar id');
      const r = await call<{ eventId: string }>(c, 'POST', `/admin/seminars/${enc(id)}/schedule`);
      if (c.json) return printJson(r);
      out(`scheduled ${id} (event ${r.eventId})`);
    },
  },
  {
    name: 'cancel-seminar',
    usage: 'cancel-seminar <seminarId> [--reason <text>]',
    summary: 'Cancel a seminar; registrants are told → SeminarCancelled',
    options: { reason: { type: 'string' } },
    optionHelp: ['--reason <t>   told to the registrants'],
    async run(c, p, v) {
      const id = need(p, 0, 'the seminar id');
      const r = await call<{ eventId: string }>(c, 'POST', `/admin/seminars/${enc(id)}/cancel`, v.reason ? { reason: v.reason } : {});
      if (c.json) return printJson(r);
      out(`cancelled ${id} (event ${r.eventId})`);
    },
  },
  {
    name: 'publish-recording',
    usage: 'publish-recording <seminarId> <url>',
    summary: 'Publish the recording link; every registrant gets it → SeminarRecordingPublished',
    async run(c, p) {
      const id = need(p, 0, 'the seminar id');
      const url = need(p, 1, 'the recording URL');
      const r = await call<{ eventId: string }>(c, 'POST', `/admin/seminars/${enc(id)}/recording`, { url });
      if (c.json) return printJson(r);
      out(`recording published for ${id} (event ${r.eventId})`);
    },
  },
  {
    name: 'update-seminar',
    usage: 'update-seminar <seminarId> <file.json|file.yaml|->',
    summary: 'Change the fields of a seminar that the file gives (a merge patch: null removes a field) → SeminarUpdated if scheduled',
    async run(c, p) {
      const id = need(p, 0, 'the seminar id');
      const patch = readDocument(need(p, 1, 'the file with the fields to change (JSON or YAML)'));
      const r = await call<SeminarRow & { eventId?: string }>(c, 'PATCH', `/admin/seminars/${enc(id)}`, patch);
      if (c.json) return printJson(r);
      out(`updated ${r.id} ${r.title}${r.eventId ? ` (event ${r.eventId})` : ''}`);
    },
  },
  {
    name: 'move-seminar',
    usage: 'move-seminar <seminarId> --start <time> [--end <time>]',
    summary: 'Move a seminar (the end keeps the duration unless given); registrants are told → SeminarUpdated',
    options: { start: { type: 'string' }, end: { type: 'string' } },
    optionHelp: ['--start <t>    the new start, ISO time with offset (e.g. 2027-02-04T08:00:00+01:00)', '--end <t>      the new end (default: the new start plus the current duration)'],
    async run(c, p, v) {
      const id = need(p, 0, 'the seminar id');
      if (typeof v.start !== 'string' || !isTime(v.start)) throw new CliError('missing or invalid --start (an ISO time with offset, e.g. 2027-02-04T08:00:00+01:00)');
      const current = await call<SeminarRow & { end: string }>(c, 'GET', `/admin/seminars/${enc(id)}`);
      const end = typeof v.end === 'string' ? v.end : new Date(Date.parse(v.start) + Date.parse(current.end) - Date.parse(current.start)).toISOString();
      const told =
        current.status === 'scheduled'
          ? await call<{ counts: Record<string, number> }>(c, 'GET', `/admin/seminars/${enc(id)}/registrations`).then((r) => r.counts.physical + r.counts.digital + r.counts.waitlisted)
          : 0;
      const r = await call<SeminarRow & { end: string; eventId?: string }>(c, 'PATCH', `/admin/seminars/${enc(id)}`, { start: v.start, end });
      if (c.json) return printJson(r);
      out(`moved ${r.id} to ${osloTime(r.start)}–${osloTime(r.end)} Oslo time${r.eventId ? `; ${told} confirmed registrant${told === 1 ? ' is' : 's are'} told (event ${r.eventId})` : ''}`);
    },
  },
  {
    name: 'list-registrants',
    usage: 'list-registrants <seminarId> [--status pending|confirmed|cancelled] [--attendance physical|digital|waitlisted]',
    summary: 'List the registrants of a seminar: name, email, status, attendance, waitlist place, submitted (Oslo time)',
    options: { status: { type: 'string' }, attendance: { type: 'string' } },
    optionHelp: ['--status <s>       only registrations with this status', '--attendance <a>   only those attending so (waitlisted: the waitlist in its order)'],
    async run(c, p, v) {
      const id = need(p, 0, 'the seminar id');
      type Row = { name: string; email: string; status: string; attendance?: string; waitlistPosition?: number; submittedAt: string };
      type Page = { capacity: number; seatsTaken: number; counts: Record<string, number>; items: Row[]; next?: string };
      // The API answers in pages (a Lambda answer may not pass 6 MB): follow the `next` cursor.
      const r = await call<Page>(c, 'GET', `/admin/seminars/${enc(id)}/registrations?limit=1000`);
      for (let cursor = r.next; cursor; ) {
        const page = await call<Page>(c, 'GET', `/admin/seminars/${enc(id)}/registrations?limit=1000&cursor=${enc(cursor)}`);
        r.items.push(...page.items);
        cursor = page.next;
      }
      const rows = r.items
        .filter((x) => (!v.status || x.status === v.status) && (!v.attendance || x.attendance === v.attendance))
        .sort((a, b) => (a.waitlistPosition ?? 0) - (b.waitlistPosition ?? 0));
      if (c.json) return printJson(rows);
      out(`${r.seatsTaken}/${r.capacity} seats taken; ${Object.entries(r.counts).map(([k, n]) => `${k} ${n}`).join(', ')}`);
      if (rows.length === 0) return out('no registrants');
      table([
        ['NAME', 'EMAIL', 'STATUS', 'ATTENDANCE', 'WAITLIST', 'SUBMITTED (OSLO)'],
        ...rows.map((x) => [x.name, x.email, x.status, x.attendance ?? '', x.waitlistPosition ? String(x.waitlistPosition) : '', osloTime(x.submittedAt)]),
      ]);
    },
  },
  {
    name: 'export-csv',
    usage: 'export-csv <seminarId> [--out <file.csv>] [--sep comma|semicolon] [--page-size <n>]',
    summary: 'Export the registrants as CSV (UTF-8 with BOM for Excel, times in Oslo time) to a file, or to stdout, page after page',
    options: { out: { type: 'string', short: 'o' }, sep: { type: 'string' }, 'page-size': { type: 'string' } },
    optionHelp: [
      '-o, --out <f>       write to this file (default: stdout)',
      '--sep <s>           comma (default) or semicolon (for Norwegian Excel)',
      `--page-size <n>     registrants per request, 1-${REGISTRANTS_PAGE.max} (default ${REGISTRANTS_PAGE.max}); the pages follow one another in one file`,
    ],
    async run(c, p, v) {
      const id = need(p, 0, 'the seminar id');
      const size = v['page-size'] === undefined ? REGISTRANTS_PAGE.max : Number(v['page-size']);
      if (!Number.isInteger(size) || size < 1 || size > REGISTRANTS_PAGE.max) throw new CliError(`--page-size must be a whole number from 1 to ${REGISTRANTS_PAGE.max}`);
      const target = typeof v.out === 'string' ? createWriteStream(resolve(v.out)) : process.stdout;
      const progress = typeof v.out === 'string' ? new Progress(`exporting ${id}`) : undefined;
      const write = async (text: string) => {
        if (!target.write(text)) await once(target, 'drain');
      };
      let query: string | undefined = new URLSearchParams({ limit: String(size), ...(typeof v.sep === 'string' ? { sep: v.sep } : {}) }).toString();
      let rows = 0;
      let bytes = 0;
      for (let first = true; query !== undefined; first = false) {
        const res = await request(c, 'GET', `/admin/seminars/${enc(id)}/registrations?${query}`, { accept: 'text/csv' });
        // Decoded by hand: Response.text() drops the byte-order mark, which Excel needs to read UTF-8.
        const text = Buffer.from(await res.arrayBuffer()).toString('utf8');
        // Every page is a whole CSV (byte-order mark, header row, rows): the file gets the first page's
        // mark and header, and from the pages after it only their rows.
        const body = first ? text : text.slice(text.indexOf('\r\n') + 2);
        rows += (body.match(/\r\n/g)?.length ?? 0) - (first ? 1 : 0);
        bytes += Buffer.byteLength(body);
        await write(body);
        progress?.update(rows);
        query = /<\?([^>]*)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
      }
      if (target !== process.stdout) {
        target.end();
        await once(target, 'finish');
        progress?.done(`wrote ${rows} registrant${rows === 1 ? '' : 's'} to ${v.out} (${bytes} bytes)`);
      }
    },
  },
  {
    name: 'list-schemes',
    usage: 'list-schemes',
    summary: 'List the funding schemes: id, published, name',
    async run(c) {
      const { items } = await call<{ items: Array<{ id: string; name: string; published: boolean; updatedAt: string }> }>(c, 'GET', '/admin/schemes');
      if (c.json) return printJson(items);
      if (items.length === 0) return out('no schemes');
      table([['ID', 'PUBLISHED', 'UPDATED (OSLO)', 'NAME'], ...items.map((x) => [x.id, x.published ? 'yes' : 'no', osloTime(x.updatedAt), x.name])]);
    },
  },
  {
    name: 'create-scheme',
    usage: 'create-scheme <file.json|file.yaml|->',
    summary: 'Create a funding scheme from a JSON or YAML file',
    async run(c, p) {
      const body = readDocument(need(p, 0, 'the file with the scheme (JSON or YAML)'));
      const r = await call<{ id: string; name: string }>(c, 'POST', '/admin/schemes', body);
      if (c.json) return printJson(r);
      out(`created scheme ${r.id} ${r.name}`);
    },
  },
  {
    name: 'update-scheme',
    usage: 'update-scheme <schemeId> <file.json|file.yaml|->',
    summary: 'Change the fields of a funding scheme that the file gives (a merge patch: null removes a field)',
    async run(c, p) {
      const id = need(p, 0, 'the scheme id');
      const patch = readDocument(need(p, 1, 'the file with the fields to change (JSON or YAML)'));
      const r = await call<{ id: string; name: string }>(c, 'PATCH', `/admin/schemes/${enc(id)}`, patch);
      if (c.json) return printJson(r);
      out(`updated scheme ${r.id} ${r.name}`);
    },
  },
  {
    name: 'announce-deadline',
    usage: 'announce-deadline <schemeId> --round <name> --deadline <time|date> [--reminders 14,3,1] [--guidance <seminarId,...>]',
    summary: 'Announce a round of a funding scheme with its application deadline → ApplicationDeadlineAnnounced',
    options: { round: { type: 'string' }, deadline: { type: 'string' }, reminders: { type: 'string' }, guidance: { type: 'string' } },
    optionHelp: [
      '--round <name>       the round, e.g. 2027 or "Høst 2027"',
      '--deadline <t>       ISO time with offset, or a date (end of that day in Oslo)',
      '--reminders <days>   days before the deadline, comma-separated (default 14,3,1)',
      '--guidance <ids>     guidance-session seminar ids, comma-separated',
    ],
    async run(c, p, v) {
      const scheme = need(p, 0, 'the scheme id');
      if (typeof v.round !== 'string') throw new CliError('missing --round');
      if (typeof v.deadline !== 'string') throw new CliError('missing --deadline');
      const body: Record<string, unknown> = { round: v.round, deadline: v.deadline };
      if (typeof v.reminders === 'string') body.reminderOffsets = reminderDays(v.reminders);
      if (typeof v.guidance === 'string') body.guidanceSessions = v.guidance.split(',').map((s) => s.trim()).filter(Boolean);
      const r = await call<{ id?: string; deadlineId?: string; eventId?: string; deadline?: string }>(c, 'POST', `/admin/schemes/${enc(scheme)}/deadlines`, body);
      if (c.json) return printJson(r);
      out(`announced deadline ${r.deadlineId ?? r.id ?? ''} of ${scheme}: ${osloTime(r.deadline) || v.deadline} Oslo time (event ${r.eventId ?? 'n/a'})`.replace(/\s+/g, ' '));
    },
  },
  {
    name: 'move-deadline',
    usage: 'move-deadline <deadlineId> [--deadline <time|date>] [--reminders 14,3,1] [--round <name>]',
    summary: 'Move an application deadline or change its reminders; subscribers are told → ApplicationDeadlineChanged',
    options: { deadline: { type: 'string' }, reminders: { type: 'string' }, round: { type: 'string' } },
    optionHelp: [
      '--deadline <t>       the new deadline: ISO time with offset, or a date (end of that day in Oslo)',
      '--reminders <days>   days before the deadline, comma-separated',
      '--round <name>       rename the round',
    ],
    async run(c, p, v) {
      const id = need(p, 0, 'the deadline id');
      const patch: Record<string, unknown> = {};
      if (typeof v.deadline === 'string') patch.deadline = v.deadline;
      if (typeof v.round === 'string') patch.round = v.round;
      if (typeof v.reminders === 'string') patch.reminderOffsets = reminderDays(v.reminders);
      if (Object.keys(patch).length === 0) throw new CliError('give --deadline, --reminders or --round');
      const r = await call<{ id: string; deadline: string; previousDeadline: string; moved: boolean; eventId: string }>(c, 'PATCH', `/admin/deadlines/${enc(id)}`, patch);
      if (c.json) return printJson(r);
      out(
        r.moved
          ? `moved deadline ${r.id} from ${osloTime(r.previousDeadline)} to ${osloTime(r.deadline)} Oslo time (event ${r.eventId})`
          : `updated deadline ${r.id}, still ${osloTime(r.deadline)} Oslo time (event ${r.eventId})`,
      );
    },
  },
  {
    name: 'trigger-event',
    usage: 'trigger-event <detailType> [<detail JSON> | --file <detail.json|yaml>]',
    summary: 'Put a catalogued event on the bus (validated by the API) and print its event id',
    options: { file: { type: 'string', short: 'f' } },
    optionHelp: ['-f, --file <f>  read the detail from a JSON or YAML file'],
    async run(c, p, v) {
      const detailType = need(p, 0, 'the detail-type, e.g. SeminarReminderDue');
      let detail: unknown;
      if (typeof v.file === 'string') detail = readDocument(v.file);
      else {
        const raw = need(p, 1, "the detail as JSON, e.g. '{\"version\":1,…}' (or --file)");
        try {
          detail = JSON.parse(raw);
        } catch {
          throw new CliError(`the detail is not valid JSON: ${raw.slice(0, 80)}`);
        }
      }
      const r = await call<{ eventId: string }>(c, 'POST', '/admin/events', { detailType, detail });
      if (c.json) return printJson(r);
      out(`put ${detailType} on the bus (event ${r.eventId})`);
    },
  },
  {
    name: 'tail-deliveries',
    usage: 'tail-deliveries <seminarId|deadlineId> [--once] [--expect <n>] [--interval <s>] [--timeout <s>]',
    summary: 'Follow the delivery log of a seminar or deadline: each email as it is sent, fails or is suppressed',
    options: { once: { type: 'boolean' }, expect: { type: 'string' }, interval: { type: 'string' }, timeout: { type: 'string' } },
    optionHelp: [
      '--once          print the log as it is now and stop',
      '--expect <n>    stop once n emails are settled (sent, failed or suppressed); the bar counts to n',
      '--interval <s>  seconds between polls (default 2)',
      '--timeout <s>   give up after this many seconds (exit code 1)',
    ],
    async run(c, p, v) {
      const subject = need(p, 0, 'the seminar or deadline id');
      const interval = Math.max(0.2, Number(v.interval ?? 2)) * 1000;
      const expectN = v.expect === undefined ? undefined : Number(v.expect);
      if (expectN !== undefined && (!Number.isInteger(expectN) || expectN < 0)) throw new CliError(`--expect must be a whole number; got ${v.expect}`);
      const deadline = v.timeout === undefined ? undefined : Date.now() + Number(v.timeout) * 1000;
      const seen = new Map<string, string>();
      const progress = new Progress(`deliveries of ${subject}`, expectN);
      type Entry = { kind: string; recipient: string; status: string; sentAt?: string; claimedAt?: string; error?: string; suppressed?: boolean; attempts?: number };
      // The whole log, page after page (the API answers at most 1,000 entries at a time).
      const wholeLog = async (): Promise<Entry[]> => {
        const items: Entry[] = [];
        for (let cursor: string | undefined, first = true; first || cursor; first = false) {
          const page = await call<{ items: Entry[]; next?: string }>(c, 'GET', `/admin/deliveries?subject=${enc(subject)}${cursor ? `&cursor=${enc(cursor)}` : ''}`);
          items.push(...page.items);
          cursor = page.next;
        }
        return items;
      };
      for (;;) {
        const log = await wholeLog();
        for (const e of log) {
          const key = deliveryKey(e);
          const state = `${e.status}#${e.attempts ?? 0}#${e.suppressed ? 1 : 0}`;
          if (seen.get(key) === state) continue;
          seen.set(key, state);
          if (c.json) out(JSON.stringify(e));
          else {
            const at = e.sentAt ?? e.claimedAt ?? '';
            const why = e.error ? ` — ${e.error}` : e.suppressed && e.status !== 'suppressed' ? ' — address now suppressed' : '';
            progress.log(`${osloStamp(at)} Oslo  ${e.status.padEnd(10)} ${e.kind.padEnd(28)} ${e.recipient}${why}`);
          }
        }
        const settled = log.filter((e) => e.status !== 'claimed').length;
        if (v.once) {
          if (!c.json) progress.done(`${log.length} entr${log.length === 1 ? 'y' : 'ies'}, ${settled} settled`);
          return;
        }
        if (!c.json) progress.update(settled);
        if (expectN !== undefined && settled >= expectN) {
          if (!c.json) progress.done(`${settled} emails settled (${log.filter((e) => e.status === 'sent').length} sent)`);
          return;
        }
        if (deadline !== undefined && Date.now() > deadline) {
          progress.done();
          throw new CliError(`timed out: ${settled}${expectN === undefined ? '' : ` of ${expectN}`} emails settled`);
        }
        await sleep(interval);
      }
    },
  },
  {
    name: 'find-person',
    usage: 'find-person <email>',
    summary: 'Find a person by address: registrations, subscriptions and emails across seminars, schemes and series',
    async run(c, p) {
      const email = need(p, 0, 'the email address');
      type Found = {
        email: string;
        suppressed: boolean;
        registrations: Array<{ seminarId: string; title?: string; start?: string; status: string; attendance?: string; waitlistPlace?: number }>;
        subscriptions: Array<{ kind: string; id: string; name?: string; status: string }>;
        deliveries: Array<{ subject: string; kind: string; status: string; sentAt?: string; claimedAt: string }>;
      };
      const r = await call<Found>(c, 'GET', `/admin/people/${enc(email)}`);
      if (c.json) return printJson(r);
      out(`${r.email}${r.suppressed ? ' (suppressed: gets no email)' : ''}`);
      out(`registrations: ${r.registrations.length}`);
      if (r.registrations.length) {
        table([
          ['SEMINAR', 'START (OSLO)', 'STATUS', 'ATTENDANCE', 'WAITLIST', 'TITLE'],
          ...r.registrations.map((x) => [x.seminarId, osloTime(x.start), x.status, x.attendance ?? '', x.waitlistPlace ? String(x.waitlistPlace) : '', x.title ?? '']),
        ]);
      }
      out(`subscriptions: ${r.subscriptions.length}`);
      if (r.subscriptions.length) table([['KIND', 'ID', 'STATUS', 'NAME'], ...r.subscriptions.map((x) => [x.kind, x.id, x.status, x.name ?? ''])]);
      out(`emails: ${r.deliveries.length}`);
      if (r.deliveries.length) table([['AT (OSLO)', 'STATUS', 'KIND', 'SUBJECT'], ...r.deliveries.map((x) => [osloStamp(x.sentAt ?? x.claimedAt), x.status, x.kind, x.subject])]);
    },
  },
  {
    name: 'erase-person',
    usage: 'erase-person <email>',
    summary: "Erase a person's data everywhere (GDPR) and print the receipt",
    async run(c, p) {
      const email = need(p, 0, 'the email address');
      const r = await call<{ receiptId: string; emailHash: string; erasedAt: string; counts: Record<string, number>; total: number }>(c, 'DELETE', `/admin/people/${enc(email)}`);
      if (c.json) return printJson(r);
      out(`erased: receipt ${r.receiptId}, hash ${r.emailHash}, at ${osloAt(r.erasedAt)}`);
      const counts = Object.entries(r.counts).filter(([, n]) => n > 0);
      out(counts.length ? counts.map(([k, n]) => `  ${k}: ${n}`).join('\n') : '  nothing was stored for this address');
    },
  },
  {
    name: 'audit',
    usage: 'audit [--from <time>] [--to <time>] [--actor <subject>] [--action <route>] [--limit <n>] [--cursor <c>]',
    summary: 'Show the audit log: who (JWT subject) did what, when (Oslo time); filter by time, actor, action',
    options: { since: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, actor: { type: 'string' }, action: { type: 'string' }, limit: { type: 'string' }, cursor: { type: 'string' } },
    optionHelp: [
      '--from <t>     from this time, ISO with offset (default 90 days ago; --since is the same)',
      '--to <t>       up to this time (default now)',
      '--actor <s>    only what this JWT subject did',
      '--action <a>   only this route, e.g. "PATCH /admin/seminars/{seminarId}", or a start of it, e.g. PATCH',
      '--limit <n>    at most n entries (default 200); the next page is printed as --cursor',
      '--cursor <c>   the page after the one that printed it',
    ],
    async run(c, _p, v) {
      const q = new URLSearchParams();
      for (const k of ['since', 'from', 'to', 'actor', 'action', 'limit', 'cursor']) if (typeof v[k] === 'string') q.set(k, v[k] as string);
      const r = await call<{ items: Array<{ at: string; who: string; action: string; status: number; target?: Record<string, string> }>; next?: string }>(c, 'GET', `/admin/audit${q.size ? `?${q}` : ''}`);
      if (c.json) return printJson(r.items);
      if (r.items.length === 0) return out('no audit entries');
      table([['AT (OSLO)', 'WHO', 'STATUS', 'ACTION', 'TARGET'], ...r.items.map((e) => [osloStamp(e.at), e.who, String(e.status), e.action, Object.entries(e.target ?? {}).map(([k, x]) => `${k}=${x}`).join(' ')])]);
      if (r.next) out(`more: --cursor ${r.next}`);
    },
  },
];

// ── Main ───────────────────────────────────────────────────────────────────────────────────────

const globalOptions: Options = {
  api: { type: 'string' },
  token: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: npm run admin -- [--api <url>] [--token <jwt>] [--json] <command> [arguments] [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  --api <url>     the HTTP API (default: $SEMINAR_API_URL, else the local cloud at http://localhost:$API_PORT, port 3000 without API_PORT)',
    '  --token <jwt>   an admin JWT (default: $SEMINAR_TOKEN; against the local cloud one is minted from .data/)',
    '  --json          print the API answers as JSON',
    '  -h, --help      this help; `<command> --help` for a command',
    '',
    'Examples:',
    '  npm run admin -- create-seminar seminar.yaml --schedule',
    '  npm run admin -- export-csv <seminarId> --out deltakere.csv',
    '  npm run admin -- tail-deliveries <seminarId>',
  ].join('\n');
}

function commandHelp(c: Command): string {
  return [`Usage: npm run admin -- ${c.usage}`, '', c.summary, ...(c.optionHelp?.length ? ['', 'Options:', ...c.optionHelp.map((l) => `  ${l}`)] : [])].join('\n');
}

async function resolveToken(api: string, given: string | undefined): Promise<string> {
  if (given) return given;
  if (process.env.SEMINAR_TOKEN) return process.env.SEMINAR_TOKEN;
  if (/^https?:\/\/(localhost|127\.0\.0\.1)(:|\/|$)/.test(api)) {
    const dataDir = resolve(process.env.LOCAL_DATA_DIR ?? '.data');
    if (existsSync(join(dataDir, 'jwt-key.json'))) {
      const { mintToken } = await import('./local/auth.js');
      return mintToken(dataDir, { subject: `cli:${process.env.USER ?? 'local'}`, expiresInSeconds: 3600 });
    }
    throw new CliError(`no token: pass --token or set SEMINAR_TOKEN (or start the local cloud with npm start, which keeps its key in ${dataDir})`);
  }
  throw new CliError('no token: pass --token <jwt> or set SEMINAR_TOKEN (README: "Using the CLI against the deployed stack")');
}

async function main(argv: string[]): Promise<void> {
  const first = parseArgs({ args: argv, options: globalOptions, allowPositionals: true, strict: false });
  const name = first.positionals[0];
  if (!name) {
    if (first.values.help) return out(help());
    process.stderr.write(`${help()}\n\n`);
    throw new CliError('missing command (see the list above)');
  }
  const command = commands.find((c) => c.name === name);
  if (!command) throw new CliError(`unknown command "${name}"; run with --help to see the commands`);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...globalOptions, ...(command.options ?? {}) }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliError(`${(err as Error).message.split('\n')[0]} (see: ${name} --help)`);
  }
  if (parsed.values.help) return out(commandHelp(command));
  const api = String(parsed.values.api ?? process.env.SEMINAR_API_URL ?? localApi()).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(api)) throw new CliError(`--api must be an http(s) URL; got ${api}`);
  const token = await resolveToken(api, parsed.values.token as string | undefined);
  await command.run({ api, token, json: Boolean(parsed.values.json) }, parsed.positionals.slice(1), parsed.values as Values);
}

// The exit code is set, not forced: output still in flight to a pipe is written before the process ends.
main(process.argv.slice(2)).then(
  () => {
    process.exitCode = 0;
  },
  (err: unknown) => {
    const message = err instanceof CliError ? err.message : `unexpected: ${(err as Error)?.message ?? String(err)}`;
    process.stderr.write(`error: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    process.exitCode = 1;
  },
);
