/** Funding schemes: the list, a scheme's rounds with deadlines, reminders, sessions and subscribers; announce and move. */
import { useState } from 'preact/hooks';
import { api, ok, rawJson, type Json, type Problem } from '../client.js';
import { t, statusWord } from '../i18n.js';
import { osloLocalToIso } from '../time.js';
import { ErrorSummary, Field, Loading, Notice, OsloTime, PageTitle, toProblem, useDraft, useLoad } from '../ui.js';
import { hasPatch } from '../capabilities.js';

export function SchemeList() {
  const [data, error] = useLoad(async () => ok<{ items: Json[] }>(await api().GET('/admin/schemes')), []);
  return (
    <>
      <PageTitle>{t().schemes}</PageTitle>
      {!data ? (
        <Loading error={error} />
      ) : (
        <ul class="cards">
          {data.items.map((s) => (
            <li key={s.id}>
              <a href={`#/schemes/${s.id}`}>{s.name}</a>
              {s.budgetNok ? ` · ${t().budget}: ${(s.budgetNok / 1e6).toLocaleString()} MNOK` : ''}
              {s.maxSharePercent ? ` · ${t().share}: ${s.maxSharePercent} %` : ''}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

/** A deadline field's value: a date alone means the end of that day in Oslo; with a time, that moment. */
function deadlineValue(date: string, time: string): string {
  return time ? osloLocalToIso(`${date}T${time}`) : date;
}
const days = (s: string) => s.split(/[,;\s]+/).filter(Boolean).map(Number);

export function SchemeView({ id }: { id: string }) {
  const [s, error, reload] = useLoad(async () => ok(await api().GET('/admin/schemes/{schemeId}', { params: { path: { schemeId: id } } })), [id]);
  const [seminars] = useLoad(async () => ok<{ items: Json[] }>(await api().GET('/admin/seminars')), []);
  const [notice, setNotice] = useState<string>();
  if (!s) return <Loading error={error} />;
  const sessions = (seminars?.items ?? []).filter((x) => x.kind === 'guidance-session' || x.kind === 'pitch');
  const title = (sid: string) => seminars?.items.find((x) => x.id === sid);
  const subscribers = typeof s.subscribers === 'object' && s.subscribers ? Object.entries(s.subscribers).map(([k, v]) => `${k}: ${v}`).join(', ') : String(s.subscribers ?? 0);
  return (
    <>
      <PageTitle>{s.name}</PageTitle>
      <Notice text={notice} />
      <dl class="facts">
        <dt>{t().budget}</dt>
        <dd>{s.budgetNok ? `${(s.budgetNok / 1e6).toLocaleString()} MNOK` : '–'}</dd>
        <dt>{t().share}</dt>
        <dd>{s.maxSharePercent ? `${s.maxSharePercent} %` : '–'}</dd>
        <dt>{t().subscribers}</dt>
        <dd>{subscribers}</dd>
      </dl>
      <h2>{t().rounds}</h2>
      {(s.rounds as Json[]).map((r) => (
        <section class="round" key={r.id} aria-labelledby={`round-${r.id}`}>
          <h3 id={`round-${r.id}`}>
            {t().round} {r.round} ({statusWord(r.status)})
          </h3>
          <p>
            {t().deadline}: <OsloTime iso={r.deadline} />
          </p>
          <p>
            {t().remindersAt}:{' '}
            {(r.reminders as Json[]).map((m, i) => (
              <span key={i}>
                {i > 0 ? '; ' : ''}
                {m.offsetDays} d: <OsloTime iso={m.at} />
              </span>
            ))}
          </p>
          <p>{t().sessions}:</p>
          <ul>
            {(r.guidanceSessions as string[]).map((g) => (
              <li key={g}>
                <a href={`#/seminars/${g}`}>{title(g)?.title ?? g}</a> {title(g) && <OsloTime iso={title(g).start} />}
              </li>
            ))}
          </ul>
          <p>
            <a href={`#/deliveries/${r.id}`}>{t().deliveries}</a>
          </p>
          <MoveDeadline round={r} onDone={() => (setNotice(t().deadlineMoved), reload())} />
        </section>
      ))}
      <Announce schemeId={id} sessions={sessions} onDone={() => (setNotice(t().announced), reload())} />
    </>
  );
}

function DeadlineFields({ prefix, date, time, setDate, setTime, errors }: { prefix: string; date: string; time: string; setDate: (v: string) => void; setTime: (v: string) => void; errors?: Problem['errors'] }) {
  return (
    <div class="row">
      <Field name={prefix === 'announce' ? 'deadline' : `${prefix}-deadline`} label={`${t().deadline} (${t().osloTime})`} hint={t().deadlineHint} errors={errors}>
        {(p) => <input {...p} type="date" value={date} onInput={(e) => setDate((e.target as HTMLInputElement).value)} />}
      </Field>
      <div class="field">
        <label for={`${prefix}-time`}>{t().when} (TT:MM)</label>
        <input id={`${prefix}-time`} type="time" value={time} onInput={(e) => setTime((e.target as HTMLInputElement).value)} />
      </div>
    </div>
  );
}

function MoveDeadline({ round, onDone }: { round: Json; onDone: () => void }) {
  const [date, setDate] = useState('');
  const [time, setTime] = useState('');
  const [problem, setProblem] = useState<Problem>();
  const submit = async (ev: Event) => {
    ev.preventDefault();
    setProblem(undefined);
    try {
      const body = { deadline: deadlineValue(date, time) };
      const method = (await hasPatch('/admin/deadlines/{deadlineId}')) ? 'PATCH' : 'PUT';
      await rawJson(method, `/admin/deadlines/${round.id}`, body);
      onDone();
    } catch (e) {
      const p = toProblem(e);
      setProblem({ ...p, errors: p.errors?.map((x) => ({ ...x, field: x.field === 'deadline' ? `${round.id}-deadline` : x.field })) });
    }
  };
  return (
    <form onSubmit={submit} noValidate aria-label={`${t().moveDeadline}: ${round.round}`}>
      <ErrorSummary problem={problem} />
      <DeadlineFields prefix={round.id} date={date} time={time} setDate={setDate} setTime={setTime} errors={problem?.errors} />
      <button type="submit">{t().moveDeadline}</button>
    </form>
  );
}

interface AnnounceForm {
  round: string;
  date: string;
  time: string;
  reminders: string;
  sessions: string[];
}

function Announce({ schemeId, sessions, onDone }: { schemeId: string; sessions: Json[]; onDone: () => void }) {
  const [f, setF, clear] = useDraft<AnnounceForm>(`announce.${schemeId}`, () => ({ round: '', date: '', time: '', reminders: '14, 3, 1', sessions: [] }));
  const [problem, setProblem] = useState<Problem>();
  const submit = async (ev: Event) => {
    ev.preventDefault();
    setProblem(undefined);
    try {
      ok(
        await api().POST('/admin/schemes/{schemeId}/deadlines', {
          params: { path: { schemeId } },
          body: { round: f.round, deadline: f.date ? deadlineValue(f.date, f.time) : '', reminderOffsets: days(f.reminders), guidanceSessions: f.sessions },
        }),
      );
      clear();
      setF({ round: '', date: '', time: '', reminders: '14, 3, 1', sessions: [] });
      onDone();
    } catch (e) {
      setProblem(toProblem(e));
    }
  };
  const toggle = (id: string, on: boolean) => setF({ ...f, sessions: on ? [...f.sessions, id] : f.sessions.filter((x) => x !== id) });
  return (
    <section aria-labelledby="announce-title">
      <h2 id="announce-title">{t().announce}</h2>
      <ErrorSummary problem={problem} />
      <form onSubmit={submit} noValidate>
        <Field name="round" label={t().round} errors={problem?.errors}>
          {(p) => <input {...p} value={f.round} onInput={(e) => setF({ ...f, round: (e.target as HTMLInputElement).value })} />}
        </Field>
        <DeadlineFields prefix="announce" date={f.date} time={f.time} setDate={(date) => setF({ ...f, date })} setTime={(time) => setF({ ...f, time })} errors={problem?.errors} />
        <Field name="reminderOffsets" label={t().reminderDays} errors={problem?.errors}>
          {(p) => <input {...p} value={f.reminders} onInput={(e) => setF({ ...f, reminders: (e.target as HTMLInputElement).value })} />}
        </Field>
        <fieldset>
          <legend>{t().sessions}</legend>
          {sessions.map((s) => (
            <div class="field check" key={s.id}>
              <input id={`sess-${s.id}`} type="checkbox" checked={f.sessions.includes(s.id)} onChange={(e) => toggle(s.id, (e.target as HTMLInputElement).checked)} />
              <label for={`sess-${s.id}`}>
                {s.title} – <OsloTime iso={s.start} />
              </label>
            </div>
          ))}
        </fieldset>
        <button type="submit">{t().announce}</button>
      </form>
    </section>
  );
}
