/** A seminar's registrants (search, filters, CSV export with progress) and the delivery log. */
import { useEffect, useState } from 'preact/hooks';
import { api, ok, raw, rawJson, type Json, type Problem } from '../client.js';
import { t } from '../i18n.js';
import { ErrorSummary, Loading, OsloTime, PageTitle, toProblem, useLoad } from '../ui.js';

const modeWord = (m: string) => (m === 'physical' ? t().physical : m === 'digital' ? t().digital : m === 'waitlisted' ? t().waitlisted : m);

type Filter = 'all' | 'physical' | 'digital' | 'waitlisted' | 'pending' | 'cancelled';

export function Registrants({ id }: { id: string }) {
  const [s] = useLoad(async () => ok(await api().GET('/admin/seminars/{seminarId}', { params: { path: { seminarId: id } } })), [id]);
  const [data, error] = useLoad(() => allRegistrants(id), [id]);
  const [q, setQ] = useState('');
  const [filter, setFilter] = useState<Filter>('all');
  const items: Json[] = (data?.items ?? []).filter((r: Json) => {
    const hay = `${r.name} ${r.email} ${r.organisation}`.toLowerCase();
    if (q && !hay.includes(q.toLowerCase())) return false;
    switch (filter) {
      case 'physical':
      case 'digital':
        return r.status === 'confirmed' && r.attendance === filter;
      case 'waitlisted':
        return r.waitlistPosition !== undefined;
      case 'pending':
      case 'cancelled':
        return r.status === filter;
      default:
        return true;
    }
  });
  if (filter === 'waitlisted') items.sort((a, b) => a.waitlistPosition - b.waitlistPosition);
  const FILTERS: Array<[Filter, string]> = [
    ['all', t().all],
    ['physical', t().physical],
    ['digital', t().digital],
    ['waitlisted', t().waitlisted],
    ['pending', t().pending],
    ['cancelled', t().cancelledF],
  ];
  return (
    <>
      <PageTitle>
        {t().registrants}: {s?.title ?? ''}
      </PageTitle>
      <p>
        <a href={`#/seminars/${id}`}>{t().back}</a>
      </p>
      <CsvExport id={id} />
      <form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="reg-search">{t().search}</label>
          <input id="reg-search" type="search" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="reg-filter">{t().filter}</label>
          <select id="reg-filter" value={filter} onChange={(e) => setFilter((e.target as HTMLSelectElement).value as Filter)}>
            {FILTERS.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </div>
      </form>
      {!data ? (
        <Loading error={error} />
      ) : (
        <>
          <p role="status">{t().count(items.length)}</p>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t().name}</th>
                  <th scope="col">{t().email}</th>
                  <th scope="col">{t().organisation}</th>
                  <th scope="col">{t().mode}</th>
                  <th scope="col">{t().status}</th>
                  <th scope="col">{t().waitlist}</th>
                  <th scope="col">{t().submitted}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">{r.name}</th>
                    <td>
                      <a href={`#/people/${encodeURIComponent(r.email)}`}>{r.email}</a>
                    </td>
                    <td>{r.organisation}</td>
                    <td>{modeWord(r.attendance ?? r.requestedMode)}</td>
                    <td>{r.status === 'pending' ? t().pending : r.status === 'cancelled' ? t().cancelledF : t().confirmed}</td>
                    <td>{r.waitlistPosition ?? ''}</td>
                    <td>
                      <OsloTime iso={r.submittedAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}

/**
 * A whole list, following the API's pages (`next` cursor): the first page's other fields (counts, summary:
 * the whole list's, on every page) with every page's items.
 */
async function allPages(page: (cursor?: string) => Promise<Json>): Promise<Json> {
  const first = await page();
  const items: Json[] = [...first.items];
  for (let cursor: string | undefined = first.next; cursor; ) {
    const next = await page(cursor);
    items.push(...next.items);
    cursor = next.next;
  }
  return { ...first, items, next: undefined };
}

/** Every registrant of the seminar, so that search and filters see them all. */
const allRegistrants = (id: string) =>
  allPages(async (cursor) => ok(await api().GET('/admin/seminars/{seminarId}/registrations', { params: { path: { seminarId: id }, query: { limit: 1000, ...(cursor ? { cursor } : {}) } } })));

/** Downloads the semicolon-separated CSV (opens in Norwegian Excel), showing progress as it comes. */
function CsvExport({ id }: { id: string }) {
  const [received, setReceived] = useState<number>();
  const [total, setTotal] = useState<number>();
  const [href, setHref] = useState<string>();
  const [problem, setProblem] = useState<Problem>();
  const run = async () => {
    setProblem(undefined);
    setHref(undefined);
    setReceived(0);
    try {
      const res = await raw('GET', `/admin/seminars/${id}/registrations?format=csv&sep=semicolon`, { accept: 'text/csv; delimiter=semicolon' });
      if (!res.ok) {
        await rawJson('GET', `/admin/seminars/${id}/registrations?format=csv&sep=semicolon`);
        return;
      }
      const length = Number(res.headers.get('content-length')) || undefined;
      setTotal(length);
      const chunks: Uint8Array[] = [];
      let n = 0;
      const reader = res.body!.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        n += value.length;
        setReceived(n);
      }
      const url = URL.createObjectURL(new Blob(chunks as BlobPart[], { type: 'text/csv;charset=utf-8' }));
      setHref(url);
      const a = document.createElement('a');
      a.href = url;
      a.download = `registrations-${id}.csv`;
      document.body.append(a);
      a.click();
      a.remove();
    } catch (e) {
      setProblem(toProblem(e));
      setReceived(undefined);
    }
  };
  return (
    <section aria-labelledby="csv-title" class="csv">
      <h2 id="csv-title" class="sr-only">
        CSV
      </h2>
      <ErrorSummary problem={problem} />
      <button type="button" onClick={run}>
        {t().exportCsv}
      </button>
      {received !== undefined && !href && (
        <p>
          <label for="csv-progress">{t().downloading}</label>{' '}
          <progress id="csv-progress" max={total} value={total ? received : undefined} />
        </p>
      )}
      <p role="status">
        {href && (
          <>
            {t().downloaded(received ?? 0)}
            <a href={href} download={`registrations-${id}.csv`}>
              {t().saveFile}
            </a>
          </>
        )}
      </p>
    </section>
  );
}

/** The whole delivery log of a seminar or deadline. */
const allDeliveries = (subject: string) =>
  allPages((cursor) => rawJson('GET', `/admin/deliveries?${new URLSearchParams({ subject, limit: '1000', ...(cursor ? { cursor } : {}) }).toString()}`));

export function Deliveries({ subject }: { subject: string }) {
  const [data, error, reload] = useLoad(() => allDeliveries(subject), [subject]);
  const [watch, setWatch] = useState(false);
  useEffect(() => {
    if (!watch) return;
    const timer = setInterval(reload, 3000);
    return () => clearInterval(timer);
  }, [watch]);
  const summary = Object.entries((data?.summary ?? {}) as Record<string, Record<string, number>>);
  return (
    <>
      <PageTitle>{t().deliveries}</PageTitle>
      <div class="field check">
        <input id="watch" type="checkbox" checked={watch} onChange={(e) => setWatch((e.target as HTMLInputElement).checked)} />
        <label for="watch">{t().watch}</label>
      </div>
      {summary.length > 0 && (
        <p role="status">
          {summary.map(([kind, byStatus]) => `${kind}: ${Object.entries(byStatus).map(([st, n]) => `${n} ${st}`).join(', ')}`).join(' · ')}
        </p>
      )}
      {!data ? (
        <Loading error={error} />
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t().recipient}</th>
                <th scope="col">{t().emailKind}</th>
                <th scope="col">{t().status}</th>
                <th scope="col">
                  {t().when} ({t().osloTime})
                </th>
                <th scope="col">{t().failure}</th>
                <th scope="col">{t().suppressed}</th>
              </tr>
            </thead>
            <tbody>
              {(data.items as Json[]).map((e, i) => (
                <tr key={i}>
                  <th scope="row">{e.recipient}</th>
                  <td>{e.kind}</td>
                  <td>{e.status}</td>
                  <td>
                    <OsloTime iso={e.sentAt ?? e.claimedAt} />
                  </td>
                  <td>{e.error ?? ''}</td>
                  <td>{e.suppressed ? t().yes : t().no}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
