/** People: find a person by address across seminars and schemes; erase them (a confirmation step, then the receipt). */
import { useState } from 'preact/hooks';
import { raw, rawJson, type Json, type Problem } from '../client.js';
import { t } from '../i18n.js';
import { ErrorSummary, Field, OsloTime, PageTitle, toProblem } from '../ui.js';
import { go } from '../router.js';

type Step = { kind: 'search' } | { kind: 'confirm' } | { kind: 'erasing' } | { kind: 'receipt'; receipt: Json };

export function People({ email: initial }: { email?: string }) {
  const [email, setEmail] = useState(initial ?? '');
  const [found, setFound] = useState<Json | null>();
  const [step, setStep] = useState<Step>({ kind: 'search' });
  const [problem, setProblem] = useState<Problem>();

  const find = async (ev?: Event) => {
    ev?.preventDefault();
    setProblem(undefined);
    setFound(undefined);
    setStep({ kind: 'search' });
    const res = await raw('GET', `/admin/people/${encodeURIComponent(email.trim())}`);
    if (res.status === 404 || res.status === 405) return setFound(null);
    try {
      setFound(res.ok ? await res.json() : await rawJson('GET', `/admin/people/${encodeURIComponent(email.trim())}`));
    } catch (e) {
      setProblem(toProblem(e));
    }
  };
  const erase = async () => {
    setStep({ kind: 'erasing' });
    try {
      const receipt = await rawJson('DELETE', `/admin/people/${encodeURIComponent(email.trim())}`);
      setStep({ kind: 'receipt', receipt });
    } catch (e) {
      setProblem(toProblem(e));
      setStep({ kind: 'search' });
    }
  };

  return (
    <>
      <PageTitle>{step.kind === 'receipt' ? t().receipt : t().people}</PageTitle>
      <ErrorSummary problem={problem} />
      {step.kind === 'receipt' ? (
        <Receipt receipt={step.receipt} />
      ) : (
        <>
          <form role="search" onSubmit={find} noValidate aria-label={t().findPerson}>
            <Field name="email" label={t().email} errors={problem?.errors}>
              {(p) => <input {...p} type="email" autocomplete="off" value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />}
            </Field>
            <button type="submit">{t().find}</button>
          </form>
          {found === null && <p role="status">{t().nothingFound}</p>}
          {found && <History data={found} />}
          {(found !== undefined || email) && step.kind === 'search' && (
            <p>
              <button type="button" class="danger" disabled={!email.trim()} onClick={() => setStep({ kind: 'confirm' })}>
                {t().erase}
              </button>
            </p>
          )}
          {step.kind === 'confirm' && <Confirm email={email} onYes={erase} onNo={() => setStep({ kind: 'search' })} />}
          {step.kind === 'erasing' && (
            <p role="status">
              <label for="erase-progress">{t().progress}</label> <progress id="erase-progress" />
            </p>
          )}
        </>
      )}
    </>
  );
}

function Confirm({ email, onYes, onNo }: { email: string; onYes: () => void; onNo: () => void }) {
  return (
    <div class="confirm" role="alertdialog" aria-labelledby="confirm-text" aria-modal="false">
      <p id="confirm-text">{t().eraseConfirm(email)}</p>
      <button type="button" class="danger" onClick={onYes} ref={(el) => el?.focus()}>
        {t().eraseYes}
      </button>{' '}
      <button type="button" class="secondary" onClick={onNo}>
        {t().back}
      </button>
    </div>
  );
}

function History({ data }: { data: Json }) {
  const regs: Json[] = data.registrations ?? [];
  const subs: Json[] = data.subscriptions ?? [];
  const sent: Json[] = data.deliveries ?? [];
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{t().history}</h2>
      {data.suppressed && <p class="error">{t().suppressed}</p>}
      <h3>{t().registrants}</h3>
      {regs.length === 0 ? (
        <p>{t().none}</p>
      ) : (
        <ul>
          {regs.map((r) => (
            <li key={r.registrationId}>
              <a href={`#/seminars/${r.seminarId}`}>{r.title ?? r.seminarId}</a> (<OsloTime iso={r.start} />): {r.status}
              {r.attendance ? `, ${r.attendance}` : ''}
              {r.waitlistPlace ? `, ${t().waitlist} ${r.waitlistPlace}` : ''}
            </li>
          ))}
        </ul>
      )}
      <h3>{t().subscribers}</h3>
      {subs.length === 0 ? (
        <p>{t().none}</p>
      ) : (
        <ul>
          {subs.map((x) => (
            <li key={`${x.kind}-${x.id}`}>
              {x.name ?? x.id} ({x.kind}): {x.status}
            </li>
          ))}
        </ul>
      )}
      <h3>{t().deliveries}</h3>
      {sent.length === 0 ? (
        <p>{t().none}</p>
      ) : (
        <ul>
          {sent.map((e, i) => (
            <li key={i}>
              {e.kind}: {e.status} <OsloTime iso={e.sentAt ?? e.claimedAt} />
              {e.error ? ` – ${e.error}` : ''}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Receipt({ receipt }: { receipt: Json }) {
  return (
    <>
      <dl class="facts receipt">
        <dt>{t().receiptId}</dt>
        <dd>{receipt.receiptId}</dd>
        <dt>{t().erasedAt}</dt>
        <dd>
          <OsloTime iso={receipt.erasedAt} />
        </dd>
        <dt>{t().total}</dt>
        <dd>{receipt.total}</dd>
        {Object.entries(receipt.counts ?? {}).map(([k, v]) => (
          <>
            <dt key={`${k}-t`}>{k}</dt>
            <dd key={`${k}-d`}>{String(v)}</dd>
          </>
        ))}
      </dl>
      <p>
        <button type="button" class="secondary" onClick={() => go('#/people')}>
          {t().back}
        </button>
      </p>
    </>
  );
}
