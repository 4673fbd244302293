/**
 * The admin CLI (infra/cli.ts) driven end to end against the test local cloud, as an admin
 * would run it (`node --import tsx infra/cli.ts …`, which is what `npm run admin --` does):
 * help, seminars from YAML and JSON, schedule, registrants to CSV, the delivery log, the recording, a
 * deadline, an event, erasure and the audit log; every error is one line and exit code 1.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { adminToken, api, apiUrl, daysFromNow, idle, uniqueEmail } from '../support/local.js';
import { registrantColumnNames } from '../../shared/domain/admin-inputs.js';
import { freePort } from '../../infra/local/spawn.js';

/** A funding round in January of next year: its deadline and reminders are ahead whenever the test runs, in winter time. */
const ROUND = String(new Date().getUTCFullYear() + 1);

const ROOT = resolve(import.meta.dirname, '../..');
const COMMANDS = [
  'list-seminars',
  'create-seminar',
  'schedule',
  'cancel-seminar',
  'publish-recording',
  'update-seminar',
  'move-seminar',
  'list-registrants',
  'export-csv',
  'list-schemes',
  'create-scheme',
  'update-scheme',
  'announce-deadline',
  'move-deadline',
  'trigger-event',
  'tail-deliveries',
  'find-person',
  'erase-person',
  'audit',
];

let token: string;
let dir: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; `auth: false` leaves --api/--token out (env decides). */
function cli(args: string[], o: { auth?: boolean; env?: Record<string, string> } = {}): Promise<Run> {
  const base = o.auth === false ? [] : ['--api', apiUrl(), '--token', token];
  const env: NodeJS.ProcessEnv = { ...process.env, ...o.env };
  delete env.SEMINAR_TOKEN;
  delete env.SEMINAR_API_URL;
  for (const [k, v] of Object.entries(o.env ?? {})) env[k] = v;
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', 'infra/cli.ts', ...base, ...args], { cwd: ROOT, env, encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      done({ code, stdout: stdout.toString('utf8'), stderr: stderr.toString('utf8') });
    });
  });
}

/** stderr without Node's own warnings (e.g. about the Node version). */
const errorLines = (r: Run) => r.stderr.split('\n').filter((l) => l.trim() && !/Warning|node >=22|a\.co\/|trace-warnings|security updates|versions published|^\s/.test(l));

function expectOneLineError(r: Run, pattern: RegExp) {
  expect(r.code, r.stderr).toBe(1);
  const lines = errorLines(r);
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(pattern);
}

beforeAll(async () => {
  token = await adminToken({ subject: 'cli-tester' });
  dir = mkdtempSync(join(tmpdir(), 'seminar-cli-'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('admin CLI', () => {
  it('--help lists every command; each command has its own --help', async () => {
    const r = await cli(['--help'], { auth: false });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: npm run admin --');
    for (const c of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${c} +\\S`, 'm'));
    const section = r.stdout.split('Commands:\n')[1].split('\n\n')[0];
    const listed = [...section.matchAll(/^ {2}([a-z-]+) {2,}/gm)].map((m) => m[1]);
    expect(listed).toEqual(COMMANDS);
    for (const c of ['create-seminar', 'tail-deliveries', 'announce-deadline']) {
      const h = await cli([c, '--help'], { auth: false });
      expect(h.code).toBe(0);
      expect(h.stdout).toContain(`Usage: npm run admin -- ${c}`);
    }
  });

  it('runs the whole admin flow against the local cloud', async () => {
    // Two seminars from YAML, scheduled at once.
    const yamlFile = join(dir, 'seminars.yaml');
    writeFileSync(
      yamlFile,
      [
        'seminars:',
        '  - title: "Frokostseminar: Bedre styring og ledelse – Ærlig, Østlandsk og Åpent"',
        '    kind: breakfast-seminar',
        `    start: "${daysFromNow(12, 7)}"`,
        `    end: "${daysFromNow(12, 9)}"`,
        '    capacity: 40',
        '    doubleOptIn: false',
        '    venue:',
        '      name: Regjeringskvartalet',
        '      room: Plenumssalen i R4',
        '  - title: Veiledningssamling',
        '    kind: guidance-session',
        `    start: "${daysFromNow(13, 8)}"`,
        `    end: "${daysFromNow(13, 10)}"`,
        '    capacity: 0',
      ].join('\n'),
    );
    const created = await cli(['create-seminar', yamlFile, '--schedule']);
    expect(created.code, created.stderr).toBe(0);
    const ids = [...created.stdout.matchAll(/created ([0-9a-z]{20}) /g)].map((m) => m[1]);
    expect(ids).toHaveLength(2);
    expect(created.stdout).toContain('Ærlig, Østlandsk og Åpent');
    expect(created.stdout).toContain('created 2 seminars and scheduled them');
    const [seminarId, guidanceId] = ids;
    await idle();

    // One from JSON, left as a draft.
    const jsonFile = join(dir, 'seminar.json');
    writeFileSync(jsonFile, JSON.stringify({ title: 'Utkast', start: daysFromNow(40, 8), end: daysFromNow(40, 9), capacity: 10 }));
    const draft = await cli(['create-seminar', jsonFile]);
    expect(draft.code, draft.stderr).toBe(0);
    const draftId = /created (\S+) Utkast/.exec(draft.stdout)![1];

    const list = await cli(['list-seminars']);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^ID +STATUS +START \(OSLO\) +SEATS +WAITLIST +TITLE$/);
    expect(list.stdout).toMatch(new RegExp(`${seminarId} +scheduled +\\S+ \\d{2}:\\d{2} +0/40 +0 +Frokostseminar`));
    expect(list.stdout).toMatch(new RegExp(`${draftId} +draft `));
    const drafts = JSON.parse((await cli(['--json', 'list-seminars', '--status', 'draft'])).stdout) as Array<{ id: string; status: string }>;
    expect(drafts.map((s) => s.id)).toContain(draftId);
    expect(drafts.every((s) => s.status === 'draft')).toBe(true);

    const sch = await cli(['schedule', draftId]);
    expect(sch.code).toBe(0);
    expect(sch.stdout).toMatch(new RegExp(`^scheduled ${draftId} \\(event [0-9a-f-]{36}\\)`));
    await idle();

    // Two registrants, then the CSV to a file and to stdout.
    const people = [
      { email: uniqueEmail('cli.aase'), name: 'Åse Ødegård', organisation: 'Bærum kommune', mode: 'physical' },
      { email: uniqueEmail('cli.bjorn'), name: 'Bjørn Øyen', organisation: 'Difi', mode: 'digital' },
    ];
    for (const p of people) {
      const r = await api('POST', `/seminars/${seminarId}/registrations`, { body: p, headers: { accept: 'application/json' } });
      expect(r.status, r.text).toBe(202);
    }
    const csvFile = join(dir, 'deltakere.csv');
    const exp = await cli(['export-csv', seminarId, '--out', csvFile]);
    expect(exp.code, exp.stderr).toBe(0);
    expect(exp.stdout).toContain(`wrote 2 registrants to ${csvFile}`);
    const bytes = readFileSync(csvFile);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = bytes.subarray(3).toString('utf8');
    expect(csv.split('\r\n')[0]).toBe(registrantColumnNames.join(','));
    expect(csv).toContain(`Åse Ødegård,${people[0].email},Bærum kommune,physical,physical,confirmed`);
    // Page after page (one registrant a page here): one byte-order mark, one header, every row once.
    const pagedFile = join(dir, 'deltakere-sider.csv');
    const paged = await cli(['export-csv', seminarId, '--out', pagedFile, '--page-size', '1', '--sep', 'semicolon']);
    expect(paged.code, paged.stderr).toBe(0);
    expect(paged.stdout).toContain(`wrote 2 registrants to ${pagedFile}`);
    const pagedCsv = readFileSync(pagedFile, 'utf8');
    expect(pagedCsv.split('\uFEFF')).toHaveLength(2);
    const lines = pagedCsv.slice(1).split('\r\n').filter(Boolean);
    expect(lines[0]).toBe(registrantColumnNames.join(';'));
    expect(lines).toHaveLength(3);
    expect(lines.filter((l) => l.startsWith('name;'))).toHaveLength(1);
    for (const p of people) expect(lines.filter((l) => l.includes(p.email)), p.email).toHaveLength(1);
    expectOneLineError(await cli(['export-csv', seminarId, '--page-size', '5000']), /--page-size must be a whole number from 1 to 1000/);
    const toStdout = await cli(['export-csv', seminarId]);
    expect(toStdout.code).toBe(0);
    expect(toStdout.stdout.startsWith('\uFEFFname,email,')).toBe(true);
    expect(toStdout.stdout).toContain('Bjørn Øyen');

    // The delivery log: both confirmations, then the recording to both.
    const tail = await cli(['tail-deliveries', seminarId, '--expect', '2', '--interval', '0.3', '--timeout', '30']);
    expect(tail.code, tail.stderr).toBe(0);
    for (const p of people) expect(tail.stdout).toMatch(new RegExp(`sent +registration-confirmed\\S* +${p.email.replace(/\./g, '\\.')}`));
    expect(tail.stdout).toMatch(/2 emails settled \(2 sent\)/);

    const rec = await cli(['publish-recording', seminarId, 'https://example.no/opptak/frokost']);
    expect(rec.code, rec.stderr).toBe(0);
    expect(rec.stdout).toMatch(/^recording published for \S+ \(event [0-9a-f-]{36}\)/);
    const tail2 = await cli(['tail-deliveries', seminarId, '--expect', '4', '--interval', '0.3', '--timeout', '30']);
    expect(tail2.code, tail2.stderr).toBe(0);
    // The recording's ledger kind names its URL (a corrected URL is sent again): `recording-<hash>`.
    expect(tail2.stdout.match(/ sent +recording-[0-9a-f]{12} /g)).toHaveLength(2);
    const once = await cli(['tail-deliveries', seminarId, '--once']);
    expect(once.stdout).toMatch(/4 entries, 4 settled/);

    // An event, valid and not.
    const ev = await cli(['trigger-event', 'SeminarReminderDue', JSON.stringify({ version: 1, seminarId: guidanceId, start: daysFromNow(30), offsetMinutes: 60 })]);
    expect(ev.code, ev.stderr).toBe(0);
    expect(ev.stdout).toMatch(/^put SeminarReminderDue on the bus \(event [0-9a-f-]{36}\)/);
    const detailFile = join(dir, 'detail.yaml');
    writeFileSync(detailFile, `version: 1\nseminarId: "${guidanceId}"\nstart: "${daysFromNow(30)}"\noffsetMinutes: 30\n`);
    expect((await cli(['trigger-event', 'SeminarReminderDue', '--file', detailFile])).code).toBe(0);
    expectOneLineError(await cli(['trigger-event', 'SeminarReminderDue', '{"version":1,"seminarId":"bad id"}']), /400 .*detail\.seminarId/);
    expectOneLineError(await cli(['trigger-event', 'NoSuchEvent', '{}']), /400 .*detailType/);

    // A funding-scheme deadline.
    const scheme = await api('POST', '/admin/schemes', { body: { name: 'Medfinansieringsordningen', budgetNok: 120000000, maxSharePercent: 50 } });
    expect(scheme.status, scheme.text).toBe(201);
    const announced = await cli(['announce-deadline', scheme.body.id, '--round', ROUND, '--deadline', `${ROUND}-01-17`, '--reminders', '14,3,1', '--guidance', guidanceId]);
    expect(announced.code, announced.stderr).toBe(0);
    expect(announced.stdout).toMatch(new RegExp(`^announced deadline \\S+ of \\S+: .*17\\.01\\.${ROUND}.* \\(event [0-9a-f-]{36}\\)`));
    expectOneLineError(await cli(['announce-deadline', scheme.body.id, '--round', ROUND, '--deadline', '17 January']), /400 .*deadline/);
    expectOneLineError(await cli(['announce-deadline', scheme.body.id, '--round', ROUND, '--deadline', `${ROUND}-01-17`, '--reminders', 'soon']), /--reminders must be whole days/);

    // Erasure, and the audit log that names the CLI's subject.
    const erased = await cli(['erase-person', people[1].email]);
    expect(erased.code, erased.stderr).toBe(0);
    expect(erased.stdout).toMatch(/^erased: receipt \S+, hash [0-9a-f]{32}, at /);
    expect(erased.stdout).toMatch(/registrations: 1/);
    expect(erased.stdout).not.toContain(people[1].email);
    const audit = await cli(['audit', '--limit', '50']);
    expect(audit.code).toBe(0);
    expect(audit.stdout).toMatch(/cli-tester +200 +DELETE \/admin\/people\/\{email\} +receiptId=\S+ emailHash=[0-9a-f]{32}/);
    expect(audit.stdout).toMatch(/cli-tester +201 +POST \/admin\/seminars/);
    expect(audit.stdout).not.toContain(people[1].email);

    const cancelled = await cli(['cancel-seminar', draftId, '--reason', 'Flyttet til våren']);
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout).toMatch(new RegExp(`^cancelled ${draftId} \\(event [0-9a-f-]{36}\\)`));
    await idle();
  });

  it('does what the console does: update and move a seminar, registrants, schemes, move a deadline, find a person', async () => {
    const seminarFile = join(dir, 'frokost.json');
    writeFileSync(seminarFile, JSON.stringify({ title: 'Frokost i konsollen', start: daysFromNow(15, 7), end: daysFromNow(15, 9), capacity: 1, doubleOptIn: false, venue: { name: 'R4', room: 'Plenumssalen' } }));
    const created = await cli(['create-seminar', seminarFile, '--schedule']);
    expect(created.code, created.stderr).toBe(0);
    const seminarId = /created (\S+) /.exec(created.stdout)![1];
    await idle();
    const seated = { email: uniqueEmail('cli.seated'), name: 'Kari Nordmann', organisation: 'DFØ', mode: 'physical' };
    const waiting = { email: uniqueEmail('cli.waiting'), name: 'Ola Nordmann', organisation: 'Difi', mode: 'physical', joinWaitlist: true };
    for (const p of [seated, waiting]) {
      expect((await api('POST', `/seminars/${seminarId}/registrations`, { body: p, headers: { accept: 'application/json' } })).status).toBe(202);
      await idle();
    }

    const registrants = await cli(['list-registrants', seminarId]);
    expect(registrants.code, registrants.stderr).toBe(0);
    expect(registrants.stdout).toMatch(/^1\/1 seats taken; physical 1, digital 0, waitlisted 1, pending 0, cancelled 0$/m);
    expect(registrants.stdout).toMatch(/^NAME +EMAIL +STATUS +ATTENDANCE +WAITLIST +SUBMITTED \(OSLO\)$/m);
    expect(registrants.stdout).toMatch(new RegExp(`Ola Nordmann +${waiting.email.replace(/\./g, '\\.')} +confirmed +waitlisted +1 +\\S+ \\d{2}:\\d{2}`));
    const onlyWaiting = JSON.parse((await cli(['--json', 'list-registrants', seminarId, '--attendance', 'waitlisted'])).stdout) as Array<{ email: string }>;
    expect(onlyWaiting.map((r) => r.email)).toEqual([waiting.email]);
    expect((await cli(['list-seminars'])).stdout).toMatch(new RegExp(`${seminarId} +scheduled +\\S+ \\d{2}:\\d{2} +1/1 +1 +Frokost i konsollen`));

    const semicolons = await cli(['export-csv', seminarId, '--sep', 'semicolon']);
    expect(semicolons.code, semicolons.stderr).toBe(0);
    const lines = semicolons.stdout.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(registrantColumnNames.join(';'));
    expect(lines.find((l) => l.includes(seated.email))).toMatch(/;\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+0[12]:00;/);
    expectOneLineError(await cli(['export-csv', seminarId, '--sep', 'tab']), /400 .*sep: the separator is one of comma, semicolon/);

    const patchFile = join(dir, 'patch.yaml');
    writeFileSync(patchFile, 'title: Frokost i konsollen, flyttet\nvenue:\n  room: null\n');
    const updated = await cli(['update-seminar', seminarId, patchFile]);
    expect(updated.code, updated.stderr).toBe(0);
    expect(updated.stdout).toMatch(new RegExp(`^updated ${seminarId} Frokost i konsollen, flyttet \\(event [0-9a-f-]{36}\\)`));
    expect((await api('GET', `/admin/seminars/${seminarId}`)).body.venue).toEqual({ name: 'R4' });
    await idle();
    const moved = await cli(['move-seminar', seminarId, '--start', daysFromNow(16, 7)]);
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stdout).toMatch(new RegExp(`^moved ${seminarId} to \\S+ \\d{2}:\\d{2}–\\S+ \\d{2}:\\d{2} Oslo time; 2 confirmed registrants are told \\(event [0-9a-f-]{36}\\)`));
    const after = (await api('GET', `/admin/seminars/${seminarId}`)).body;
    expect([after.start, after.end]).toEqual([daysFromNow(16, 7), daysFromNow(16, 9)]);
    expectOneLineError(await cli(['move-seminar', seminarId, '--start', 'tomorrow']), /missing or invalid --start/);
    await idle();

    const schemeFile = join(dir, 'scheme.yaml');
    writeFileSync(schemeFile, 'name: Medfinansieringsordningen\nbudgetNok: 120000000\nmaxSharePercent: 50\n');
    const scheme = await cli(['create-scheme', schemeFile]);
    expect(scheme.code, scheme.stderr).toBe(0);
    const schemeId = /^created scheme (\S+) Medfinansieringsordningen$/m.exec(scheme.stdout)![1];
    const schemePatch = join(dir, 'scheme-patch.json');
    writeFileSync(schemePatch, JSON.stringify({ nameEn: 'The co-funding scheme', budgetNok: null }));
    expect((await cli(['update-scheme', schemeId, schemePatch])).stdout).toMatch(new RegExp(`^updated scheme ${schemeId} Medfinansieringsordningen`));
    expect((await api('GET', `/admin/schemes/${schemeId}`)).body).toMatchObject({ nameEn: 'The co-funding scheme', maxSharePercent: 50 });
    expect((await cli(['list-schemes'])).stdout).toMatch(new RegExp(`^${schemeId} +yes +\\S+ \\d{2}:\\d{2} +Medfinansieringsordningen$`, 'm'));
    const announced = await cli(['announce-deadline', schemeId, '--round', ROUND, '--deadline', `${ROUND}-01-17`]);
    const deadlineId = /^announced deadline (\S+) /.exec(announced.stdout)![1];
    const movedDeadline = await cli(['move-deadline', deadlineId, '--deadline', `${ROUND}-01-24`]);
    expect(movedDeadline.code, movedDeadline.stderr).toBe(0);
    expect(movedDeadline.stdout).toMatch(new RegExp(`^moved deadline \\S+ from 17\\.01\\.${ROUND}, 23:59 to 24\\.01\\.${ROUND}, 23:59 Oslo time \\(event [0-9a-f-]{36}\\)`));
    expect((await cli(['move-deadline', deadlineId, '--reminders', '7'])).stdout).toMatch(new RegExp(`^updated deadline \\S+, still 24\\.01\\.${ROUND}, 23:59 Oslo time`));
    expectOneLineError(await cli(['move-deadline', deadlineId]), /give --deadline, --reminders or --round/);
    await idle();

    const person = await cli(['find-person', waiting.email]);
    expect(person.code, person.stderr).toBe(0);
    expect(person.stdout).toMatch(new RegExp(`^${waiting.email.replace(/\./g, '\\.')}$`, 'm'));
    expect(person.stdout).toMatch(new RegExp(`^${seminarId} +\\S+ \\d{2}:\\d{2} +confirmed +waitlisted +1 +Frokost i konsollen, flyttet$`, 'm'));
    expect(person.stdout).toContain('subscriptions: 0');
    expect(person.stdout).toMatch(/^AT \(OSLO\) +STATUS +KIND +SUBJECT$/m);
    expectOneLineError(await cli(['find-person', uniqueEmail('cli.nobody')]), /404 .*Nothing is stored about this address/);

    const deliveries = await cli(['tail-deliveries', seminarId, '--once']);
    expect(deliveries.stdout).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\+0[12]:00 Oslo +sent +/m);
    const audit = await cli(['audit', '--actor', 'cli-tester', '--action', 'PATCH', '--limit', '2']);
    expect(audit.code, audit.stderr).toBe(0);
    expect(audit.stdout).toMatch(/^AT \(OSLO\) +WHO +STATUS +ACTION +TARGET$/m);
    const rows = audit.stdout.split('\n').filter((l) => / PATCH /.test(l));
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\+0[12]:00 +cli-tester +200 +PATCH \/admin\//);
    const cursor = /^more: --cursor (\S+)$/m.exec(audit.stdout)![1];
    const next = await cli(['audit', '--actor', 'cli-tester', '--action', 'PATCH', '--limit', '2', '--cursor', cursor]);
    expect(next.stdout.split('\n').filter((l) => / PATCH /.test(l)).length).toBeGreaterThan(0);
  });

  it('reaches the local cloud on API_PORT when no --api is given', async () => {
    const port = new URL(apiUrl()).port;
    const r = await cli(['list-seminars'], { auth: false, env: { API_PORT: port, SEMINAR_TOKEN: token } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ID +STATUS/);
    const h = await cli(['--help'], { auth: false });
    expect(h.stdout).toContain('http://localhost:$API_PORT');
  });

  it('mints a local token from the local cloud key when none is given', async () => {
    const r = await cli(['--api', apiUrl(), 'list-seminars'], { auth: false, env: { LOCAL_DATA_DIR: inject('dataDir') } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ID +STATUS/);
    const viaEnv = await cli(['list-seminars'], { auth: false, env: { SEMINAR_API_URL: apiUrl(), SEMINAR_TOKEN: token } });
    expect(viaEnv.code, viaEnv.stderr).toBe(0);
  });

  it('every error is one clear line on stderr and exit code 1', async () => {
    expectOneLineError(await cli(['no-such-command']), /unknown command "no-such-command"/);
    expectOneLineError(await cli(['schedule']), /missing the seminar id/);
    expectOneLineError(await cli(['schedule', 'no-such-seminar']), /404 .*No seminar with id no-such-seminar/);
    expectOneLineError(await cli(['create-seminar', join(dir, 'missing.yaml')]), /cannot read .*missing\.yaml: ENOENT/);
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'title: [unclosed\n  - x: :');
    expectOneLineError(await cli(['create-seminar', broken]), /broken\.yaml is not valid JSON or YAML/);
    const invalid = join(dir, 'invalid.json');
    writeFileSync(invalid, JSON.stringify({ title: '', start: 'tomorrow', capacity: -1 }));
    expectOneLineError(await cli(['create-seminar', invalid]), /400 .*title: .*start: .*capacity: /);
    expectOneLineError(await cli(['list-seminars', '--nope']), /Unknown option '--nope'/);
    expectOneLineError(await cli(['--api', apiUrl(), '--token', await adminToken({ expiresInSeconds: -10 }), 'list-seminars'], { auth: false }), /401 .*expired/);
    expectOneLineError(await cli(['--api', apiUrl(), '--token', await adminToken({ groups: ['editors'] }), 'list-seminars'], { auth: false }), /403 .*admins/);
    const closed = await freePort();
    expectOneLineError(
      await cli(['--api', `http://127.0.0.1:${closed}`, '--token', 'x', 'list-seminars'], { auth: false }),
      new RegExp(`cannot reach http://127\\.0\\.0\\.1:${closed}: ECONNREFUSED \\(is the local cloud running\\? npm start\\)`),
    );
    expectOneLineError(await cli(['--api', 'https://api.example.invalid', 'list-seminars'], { auth: false }), /no token: pass --token <jwt> or set SEMINAR_TOKEN/);
    const none = await cli([], { auth: false });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('error: missing command');
  });
});
