/** Seminars: the list, create and edit with every field, and a seminar's page with its actions. */
import { useState } from 'preact/hooks';
import { api, ok, rawJson, type Json, type Problem } from '../client.js';
import { statusWord, t } from '../i18n.js';
import { isoToOsloLocal, osloLocalToIso } from '../time.js';
import { ErrorSummary, Field, Loading, Notice, OsloTime, PageTitle, toProblem, useDraft, useLoad } from '../ui.js';
import { go } from '../router.js';
import { hasPatch } from '../capabilities.js';

export function SeminarList() {
  const [data, error] = useLoad(async () => ok<{ items: Json[] }>(await api().GET('/admin/seminars')), []);
  const now = Date.now();
  const items = data?.items ?? [];
  const upcoming = items.filter((s) => Date.parse(s.end) >= now).sort((a, b) => a.start.localeCompare(b.start));
  const past = items.filter((s) => Date.parse(s.end) < now).sort((a, b) => b.start.localeCompare(a.start));
  return (
    <>
      <PageTitle>{t().seminars}</PageTitle>
      <p>
        <a class="button" href="#/seminars/new">
          {t().newSeminar}
        </a>
      </p>
      {!data ? (
        <Loading error={error} />
      ) : (
        <>
          <SeminarTable caption={t().upcoming} items={upcoming} />
          <SeminarTable caption={t().past} items={past} />
        </>
      )}
    </>
  );
}

function waitlistOf(s: Json): number | undefined {
  return s.counts?.waitlisted ?? s.waitlisted ?? s.waitlistLength;
}

function SeminarTable({ caption, items }: { caption: string; items: Json[] }) {
  return (
    <section aria-labelledby={`h-${caption}`}>
      <h2 id={`h-${caption}`}>{caption}</h2>
      {items.length === 0 ? (
        <p>{t().none}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t().title}</th>
                <th scope="col">{t().start}</th>
                <th scope="col">{t().status}</th>
                <th scope="col">{t().seats}</th>
                <th scope="col">{t().waitlist}</th>
                <th scope="col">{t().digital}</th>
                <th scope="col">{t().deadlines}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((s) => (
                <tr key={s.id}>
                  <th scope="row">
                    <a href={`#/seminars/${s.id}`}>{s.title}</a>
                  </th>
                  <td>
                    <OsloTime iso={s.start} />
                  </td>
                  <td>{statusWord(s.status)}</td>
                  <td>
                    {s.seatsTaken ?? 0} {t().of} {s.capacity}
                  </td>
                  <td>{waitlistOf(s) ?? '–'}</td>
                  <td>{s.livestream ? (s.counts?.digital ?? t().yes) : t().no}</td>
                  <td>
                    {s.physicalDeadline ? (
                      <>
                        {t().physical}: <OsloTime iso={s.physicalDeadline} />
                        <br />
                      </>
                    ) : null}
                    {s.digitalDeadline ? (
                      <>
                        {t().digital}: <OsloTime iso={s.digitalDeadline} />
                      </>
                    ) : null}
                    {!s.physicalDeadline && !s.digitalDeadline ? '–' : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// The form

interface ItemForm {
  start: string;
  end: string;
  title: string;
  speakers: string;
  slidesUrl: string;
}
export interface SeminarForm {
  title: string;
  kind: string;
  description: string;
  seriesId: string;
  seriesTitle: string;
  start: string;
  end: string;
  doorsOpen: string;
  venueName: string;
  venueAddress: string;
  venueRoom: string;
  capacity: string;
  livestream: boolean;
  physicalDeadline: string;
  digitalDeadline: string;
  eligibility: 'open' | 'restricted';
  domains: string;
  invited: string;
  reminders: string;
  streamingUrl: string;
  streamingOffset: string;
  program: ItemForm[];
}

const emptyForm = (): SeminarForm => ({
  title: '',
  kind: 'seminar',
  description: '',
  seriesId: '',
  seriesTitle: '',
  start: '',
  end: '',
  doorsOpen: '',
  venueName: '',
  venueAddress: '',
  venueRoom: '',
  capacity: '0',
  livestream: true,
  physicalDeadline: '',
  digitalDeadline: '',
  eligibility: 'open',
  domains: '',
  invited: '',
  reminders: '1440',
  streamingUrl: '',
  streamingOffset: '120',
  program: [],
});

function formOf(s: Json): SeminarForm {
  return {
    title: s.title ?? '',
    kind: s.kind ?? 'seminar',
    description: s.description ?? '',
    seriesId: s.seriesId ?? '',
    seriesTitle: s.seriesTitle ?? '',
    start: isoToOsloLocal(s.start),
    end: isoToOsloLocal(s.end),
    doorsOpen: s.doorsOpen ?? '',
    venueName: s.venue?.name ?? '',
    venueAddress: s.venue?.address ?? '',
    venueRoom: s.venue?.room ?? '',
    capacity: String(s.capacity ?? 0),
    livestream: s.livestream !== false,
    physicalDeadline: isoToOsloLocal(s.physicalDeadline),
    digitalDeadline: isoToOsloLocal(s.digitalDeadline),
    eligibility: s.eligibility?.kind === 'restricted' ? 'restricted' : 'open',
    domains: (s.eligibility?.domains ?? []).join('\n'),
    invited: (s.eligibility?.invited ?? []).join('\n'),
    reminders: (s.reminderOffsetsMinutes ?? [1440]).join(', '),
    streamingUrl: s.streamingUrl ?? '',
    streamingOffset: String(s.streamingLinkOffsetMinutes ?? 120),
    program: (s.program ?? []).map((p: Json) => ({
      start: p.start ?? '',
      end: p.end ?? '',
      title: p.title ?? '',
      speakers: (p.speakers ?? []).map((sp: Json) => [sp.name, sp.title].filter(Boolean).join(', ')).join('\n'),
      slidesUrl: p.slidesUrl ?? '',
    })),
  };
}

const lines = (s: string) => s.split(/[\n,;\s]+/).map((x) => x.trim()).filter(Boolean);
const opt = (s: string) => (s.trim() ? s.trim() : undefined);

/** The API body from the form; `base` keeps the fields the form does not show (contacts and the like). */
export function bodyOf(f: SeminarForm, base: Json = {}): Json {
  const { id: _i, status: _s, seatsTaken: _st, sequence: _q, createdAt: _c, updatedAt: _u, recordingUrl: _r, seriesSubscribers: _ss, counts: _co, eventId: _e, ...keep } = base;
  return {
    ...keep,
    title: f.title,
    kind: f.kind,
    description: f.description,
    seriesId: opt(f.seriesId),
    seriesTitle: opt(f.seriesTitle),
    start: f.start ? osloLocalToIso(f.start) : '',
    end: f.end ? osloLocalToIso(f.end) : '',
    doorsOpen: opt(f.doorsOpen),
    venue: f.venueName.trim() ? { name: f.venueName, address: opt(f.venueAddress), room: opt(f.venueRoom) } : undefined,
    capacity: Number(f.capacity),
    livestream: f.livestream,
    physicalDeadline: f.physicalDeadline ? osloLocalToIso(f.physicalDeadline) : undefined,
    digitalDeadline: f.digitalDeadline ? osloLocalToIso(f.digitalDeadline) : undefined,
    eligibility: f.eligibility === 'open' ? { kind: 'open' } : { kind: 'restricted', domains: lines(f.domains), invited: lines(f.invited) },
    reminderOffsetsMinutes: lines(f.reminders).map(Number),
    streamingUrl: opt(f.streamingUrl),
    streamingLinkOffsetMinutes: Number(f.streamingOffset),
    program: f.program.map((p) => ({
      start: p.start,
      end: opt(p.end),
      title: p.title,
      slidesUrl: opt(p.slidesUrl),
      speakers: p.speakers
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l) => {
          const [name, ...rest] = l.split(',');
          return { name: name.trim(), title: opt(rest.join(',')) };
        }),
    })),
  };
}

const KINDS = ['seminar', 'breakfast-seminar', 'guidance-session', 'pitch', 'gathering'];

export function SeminarEdit({ id }: { id?: string }) {
  const [original, loadError] = useLoad(async () => (id ? ok(await api().GET('/admin/seminars/{seminarId}', { params: { path: { seminarId: id } } })) : null), [id]);
  if (id && !original) return <Loading error={loadError} />;
  return <SeminarFormPage id={id} original={original ?? undefined} />;
}

function SeminarFormPage({ id, original }: { id?: string; original?: Json }) {
  const [form, setForm, clearDraft] = useDraft<SeminarForm>(`seminar.${id ?? 'new'}`, () => (original ? formOf(original) : emptyForm()));
  const [problem, setProblem] = useState<Problem>();
  const [busy, setBusy] = useState(false);
  const errors = problem?.errors;
  const set = <K extends keyof SeminarForm>(k: K, v: SeminarForm[K]) => setForm({ ...form, [k]: v });
  const setItem = (i: number, k: keyof ItemForm, v: string) => set('program', form.program.map((p, j) => (j === i ? { ...p, [k]: v } : p)));

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      const body = bodyOf(form, original);
      const saved = id
        ? ok(await api().PUT('/admin/seminars/{seminarId}', { params: { path: { seminarId: id } }, body }))
        : ok(await api().POST('/admin/seminars', { body }));
      clearDraft();
      go(`#/seminars/${saved.id ?? id}`, t().saved);
    } catch (e) {
      setProblem(toProblem(e));
    } finally {
      setBusy(false);
    }
  };

  const text = (name: keyof SeminarForm, label: string, type: 'text' | 'number' | 'url' | 'datetime-local' = 'text', hint?: string) => (
    <Field name={API_NAME[name] ?? name} label={label} errors={errors} hint={hint}>
      {(p) => <input {...p} type={type as 'text'} value={form[name] as string} onInput={(e) => set(name, (e.target as HTMLInputElement).value as never)} />}
    </Field>
  );

  const onFile = async (ev: Event) => {
    const file = (ev.target as HTMLInputElement).files?.[0];
    if (!file) return;
    const content = await file.text();
    const found = content.match(/[^\s,;"<>]+@[^\s,;"<>]+/g) ?? [];
    set('invited', [...lines(form.invited), ...found].join('\n'));
  };

  return (
    <>
      <PageTitle>{id ? `${t().edit}: ${original?.title ?? ''}` : t().newSeminar}</PageTitle>
      <ErrorSummary problem={problem} />
      <form onSubmit={submit} noValidate>
        {text('title', t().title)}
        <Field name="kind" label={t().kind} errors={errors}>
          {(p) => (
            <select {...p} value={form.kind} onChange={(e) => set('kind', (e.target as HTMLSelectElement).value)}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="description" label={t().description} errors={errors}>
          {(p) => <textarea {...p} rows={4} value={form.description} onInput={(e) => set('description', (e.target as HTMLTextAreaElement).value)} />}
        </Field>
        <div class="row">
          {text('start', `${t().start} (${t().osloTime})`, 'datetime-local')}
          {text('end', `${t().end} (${t().osloTime})`, 'datetime-local')}
        </div>
        {text('doorsOpen', t().doorsOpen)}
        <fieldset>
          <legend>{t().venue}</legend>
          <Field name="venue.name" label={t().venueName} errors={errors}>
            {(p) => <input {...p} value={form.venueName} onInput={(e) => set('venueName', (e.target as HTMLInputElement).value)} />}
          </Field>
          <Field name="venue.address" label={t().venueAddress} errors={errors}>
            {(p) => <input {...p} value={form.venueAddress} onInput={(e) => set('venueAddress', (e.target as HTMLInputElement).value)} />}
          </Field>
          <Field name="venue.room" label={t().venueRoom} errors={errors}>
            {(p) => <input {...p} value={form.venueRoom} onInput={(e) => set('venueRoom', (e.target as HTMLInputElement).value)} />}
          </Field>
        </fieldset>
        {text('capacity', t().capacity, 'number')}
        <div class="field check">
          <input id="f-livestream" type="checkbox" checked={form.livestream} onChange={(e) => set('livestream', (e.target as HTMLInputElement).checked)} />
          <label for="f-livestream">{t().livestream}</label>
        </div>
        <div class="row">
          {text('physicalDeadline', `${t().physicalDeadline} (${t().osloTime})`, 'datetime-local')}
          {text('digitalDeadline', `${t().digitalDeadline} (${t().osloTime})`, 'datetime-local')}
        </div>
        <fieldset>
          <legend>{t().program}</legend>
          {form.program.map((p, i) => (
            <fieldset class="item" key={i}>
              <legend>
                {t().itemTitle} {i + 1}
              </legend>
              <div class="row">
                <Field name={`program.${i}.start`} label={t().from} errors={errors}>
                  {(a) => <input {...a} value={p.start} onInput={(e) => setItem(i, 'start', (e.target as HTMLInputElement).value)} />}
                </Field>
                <Field name={`program.${i}.end`} label={t().to} errors={errors}>
                  {(a) => <input {...a} value={p.end} onInput={(e) => setItem(i, 'end', (e.target as HTMLInputElement).value)} />}
                </Field>
              </div>
              <Field name={`program.${i}.title`} label={t().title} errors={errors}>
                {(a) => <input {...a} value={p.title} onInput={(e) => setItem(i, 'title', (e.target as HTMLInputElement).value)} />}
              </Field>
              <Field name={`program.${i}.speakers`} label={t().speakers} errors={errors}>
                {(a) => <textarea {...a} rows={2} value={p.speakers} onInput={(e) => setItem(i, 'speakers', (e.target as HTMLTextAreaElement).value)} />}
              </Field>
              <Field name={`program.${i}.slidesUrl`} label={t().slides} errors={errors}>
                {(a) => <input {...a} type="url" value={p.slidesUrl} onInput={(e) => setItem(i, 'slidesUrl', (e.target as HTMLInputElement).value)} />}
              </Field>
              <button type="button" class="secondary" onClick={() => set('program', form.program.filter((_, j) => j !== i))}>
                {t().removeItem} ({t().itemTitle} {i + 1})
              </button>
            </fieldset>
          ))}
          <button type="button" class="secondary" onClick={() => set('program', [...form.program, { start: '', end: '', title: '', speakers: '', slidesUrl: '' }])}>
            {t().addItem}
          </button>
        </fieldset>
        <fieldset>
          <legend>{t().eligibility}</legend>
          <div class="field check">
            <input id="f-elig-open" type="radio" name="elig" checked={form.eligibility === 'open'} onChange={() => set('eligibility', 'open')} />
            <label for="f-elig-open">{t().open}</label>
          </div>
          <div class="field check">
            <input id="f-elig-restricted" type="radio" name="elig" checked={form.eligibility === 'restricted'} onChange={() => set('eligibility', 'restricted')} />
            <label for="f-elig-restricted">{t().restricted}</label>
          </div>
          {form.eligibility === 'restricted' && (
            <>
              <Field name="eligibility.domains" label={t().domains} errors={errors}>
                {(p) => <textarea {...p} rows={3} value={form.domains} onInput={(e) => set('domains', (e.target as HTMLTextAreaElement).value)} />}
              </Field>
              <Field name="eligibility.invited" label={t().invited} errors={errors}>
                {(p) => <textarea {...p} rows={4} value={form.invited} onInput={(e) => set('invited', (e.target as HTMLTextAreaElement).value)} />}
              </Field>
              <div class="field">
                <label for="f-invited-file">{t().invitedFile}</label>
                <input id="f-invited-file" type="file" accept=".txt,.csv,text/plain,text/csv" onChange={onFile} />
              </div>
            </>
          )}
        </fieldset>
        {text('reminders', t().reminders)}
        {text('streamingUrl', t().streamingUrl, 'url')}
        {text('streamingOffset', t().streamingOffset, 'number')}
        <div class="row">
          {text('seriesId', t().series)}
          {text('seriesTitle', t().seriesTitle)}
        </div>
        <button type="submit" disabled={busy}>
          {id ? t().save : t().create}
        </button>
      </form>
    </>
  );
}

/** Form fields whose API name differs (the name problem+json errors use). */
const API_NAME: Partial<Record<keyof SeminarForm, string>> = { reminders: 'reminderOffsetsMinutes', streamingOffset: 'streamingLinkOffsetMinutes' };

// ---------------------------------------------------------------------------------------------
// One seminar and its actions

export function SeminarView({ id, flash }: { id: string; flash?: string }) {
  const [s, error, reload] = useLoad(async () => ok(await api().GET('/admin/seminars/{seminarId}', { params: { path: { seminarId: id } } })), [id]);
  // Only the counts (the whole seminar's on every page): one registrant is enough.
  const [regs] = useLoad(async () => ok(await api().GET('/admin/seminars/{seminarId}/registrations', { params: { path: { seminarId: id }, query: { limit: 1 } } })), [id]);
  const [notice, setNotice] = useState(flash);
  if (!s) return <Loading error={error} />;
  const told = regs ? (regs.counts?.physical ?? 0) + (regs.counts?.digital ?? 0) + (regs.counts?.waitlisted ?? 0) : undefined;
  const done = (msg: string) => {
    setNotice(msg);
    reload();
  };
  return (
    <>
      <PageTitle>{s.title}</PageTitle>
      <Notice text={notice} />
      <dl class="facts">
        <dt>{t().status}</dt>
        <dd>{statusWord(s.status)}</dd>
        <dt>{t().start}</dt>
        <dd>
          <OsloTime iso={s.start} />
        </dd>
        <dt>{t().end}</dt>
        <dd>
          <OsloTime iso={s.end} />
        </dd>
        {s.doorsOpen && (
          <>
            <dt>{t().doorsOpen}</dt>
            <dd>
              {s.doorsOpen} ({t().osloTime})
            </dd>
          </>
        )}
        <dt>{t().venue}</dt>
        <dd>{s.venue ? [s.venue.name, s.venue.room, s.venue.address].filter(Boolean).join(', ') : '–'}</dd>
        <dt>{t().seats}</dt>
        <dd>
          {s.seatsTaken} {t().of} {s.capacity}
        </dd>
        {regs && (
          <>
            <dt>{t().registrants}</dt>
            <dd>
              {t().physical}: {regs.counts.physical}, {t().digital}: {regs.counts.digital}, {t().waitlist}: {regs.counts.waitlisted}, {t().pending}: {regs.counts.pending}
            </dd>
          </>
        )}
        <dt>{t().recording}</dt>
        <dd>{s.recordingUrl ? <a href={s.recordingUrl}>{s.recordingUrl}</a> : '–'}</dd>
      </dl>
      <nav aria-label={t().actions} class="actions">
        <a href={`#/seminars/${id}/edit`}>{t().edit}</a>
        <a href={`#/seminars/${id}/registrants`}>{t().registrants}</a>
        <a href={`#/deliveries/${id}`}>{t().deliveries}</a>
      </nav>
      {s.status === 'draft' && <ScheduleAction id={id} onDone={() => done(t().scheduled)} />}
      {s.status !== 'cancelled' && <MoveAction seminar={s} told={told} onDone={() => done(t().moved)} />}
      {s.status === 'scheduled' && <CancelAction id={id} told={told} onDone={() => done(t().cancelled)} />}
      {s.status === 'scheduled' && <RecordingAction id={id} current={s.recordingUrl} onDone={() => done(t().recordingPublished)} />}
    </>
  );
}

function ScheduleAction({ id, onDone }: { id: string; onDone: () => void }) {
  const [problem, setProblem] = useState<Problem>();
  const run = async () => {
    try {
      ok(await api().POST('/admin/seminars/{seminarId}/schedule', { params: { path: { seminarId: id } } }));
      onDone();
    } catch (e) {
      setProblem(toProblem(e));
    }
  };
  return (
    <section>
      <ErrorSummary problem={problem} />
      <button type="button" onClick={run}>
        {t().schedule}
      </button>
    </section>
  );
}

function MoveAction({ seminar, told, onDone }: { seminar: Json; told?: number; onDone: () => void }) {
  const [start, setStart] = useState(isoToOsloLocal(seminar.start));
  const [end, setEnd] = useState(isoToOsloLocal(seminar.end));
  const [problem, setProblem] = useState<Problem>();
  const submit = async (ev: Event) => {
    ev.preventDefault();
    setProblem(undefined);
    const change = { start: osloLocalToIso(start), end: osloLocalToIso(end) };
    try {
      if (await hasPatch('/admin/seminars/{seminarId}')) await rawJson('PATCH', `/admin/seminars/${seminar.id}`, change);
      else ok(await api().PUT('/admin/seminars/{seminarId}', { params: { path: { seminarId: seminar.id } }, body: { ...bodyOf(formOf(seminar), seminar), ...change } }));
      onDone();
    } catch (e) {
      setProblem(toProblem(e));
    }
  };
  return (
    <section aria-labelledby="move-title">
      <h2 id="move-title">{t().moveTitle}</h2>
      <ErrorSummary problem={problem} />
      {seminar.status === 'scheduled' && told !== undefined && <p>{t().willBeTold(told)}</p>}
      <form onSubmit={submit} noValidate>
        <div class="row">
          <Field name="start" id="move-start" label={`${t().newStart} (${t().osloTime})`} errors={problem?.errors}>
            {(p) => <input {...p} type="datetime-local" value={start} onInput={(e) => setStart((e.target as HTMLInputElement).value)} />}
          </Field>
          <Field name="end" id="move-end" label={`${t().newEnd} (${t().osloTime})`} errors={problem?.errors}>
            {(p) => <input {...p} type="datetime-local" value={end} onInput={(e) => setEnd((e.target as HTMLInputElement).value)} />}
          </Field>
        </div>
        <button type="submit">{t().move}</button>
      </form>
    </section>
  );
}

function CancelAction({ id, told, onDone }: { id: string; told?: number; onDone: () => void }) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const run = async (ev: Event) => {
    ev.preventDefault();
    try {
      ok(await api().POST('/admin/seminars/{seminarId}/cancel', { params: { path: { seminarId: id } }, body: { reason: reason || undefined } }));
      onDone();
    } catch (e) {
      setProblem(toProblem(e));
    }
  };
  return (
    <section aria-labelledby="cancel-title">
      <h2 id="cancel-title">{t().cancelTitle}</h2>
      <ErrorSummary problem={problem} />
      {told !== undefined && <p>{t().willBeTold(told)}</p>}
      {!asking ? (
        <button type="button" class="danger" onClick={() => setAsking(true)}>
          {t().cancel}
        </button>
      ) : (
        <form onSubmit={run}>
          <div class="field">
            <label for="cancel-reason">{t().reason}</label>
            <textarea id="cancel-reason" rows={2} value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} />
          </div>
          <button type="submit" class="danger">
            {t().confirmCancel}
          </button>
        </form>
      )}
    </section>
  );
}

function RecordingAction({ id, current, onDone }: { id: string; current?: string; onDone: () => void }) {
  const [url, setUrl] = useState(current ?? '');
  const [problem, setProblem] = useState<Problem>();
  const submit = async (ev: Event) => {
    ev.preventDefault();
    setProblem(undefined);
    try {
      ok(await api().POST('/admin/seminars/{seminarId}/recording', { params: { path: { seminarId: id } }, body: { url } }));
      onDone();
    } catch (e) {
      setProblem(toProblem(e));
    }
  };
  return (
    <section aria-labelledby="rec-title">
      <h2 id="rec-title">{t().recording}</h2>
      <ErrorSummary problem={problem} />
      <form onSubmit={submit} noValidate>
        <Field name="url" label={t().recordingUrl} errors={problem?.errors}>
          {(p) => <input {...p} type="url" value={url} onInput={(e) => setUrl((e.target as HTMLInputElement).value)} />}
        </Field>
        <button type="submit">{current ? t().correctRecording : t().publishRecording}</button>
      </form>
    </section>
  );
}
