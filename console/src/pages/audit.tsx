/** The audit log: who did what when, filtered by time, who, action and target. */
import { useState } from 'preact/hooks';
import { rawJson, type Json } from '../client.js';
import { t } from '../i18n.js';
import { osloLocalToIso } from '../time.js';
import { Loading, OsloTime, PageTitle, useLoad } from '../ui.js';

export function Audit() {
  const [since, setSince] = useState('');
  const [who, setWho] = useState('');
  const [action, setAction] = useState('');
  const [applied, setApplied] = useState({ since: '', who: '', action: '' });
  const [data, error] = useLoad(() => {
    const q = new URLSearchParams();
    if (applied.since) q.set('since', osloLocalToIso(applied.since));
    if (applied.who) q.set('who', applied.who);
    if (applied.action) q.set('action', applied.action);
    return rawJson('GET', `/admin/audit${q.size ? `?${q}` : ''}`);
  }, [applied]);
  const items = ((data?.items ?? []) as Json[]).filter(
    (e) => (!applied.who || e.who.toLowerCase().includes(applied.who.toLowerCase())) && (!applied.action || e.action.toLowerCase().includes(applied.action.toLowerCase())),
  );
  return (
    <>
      <PageTitle>{t().audit}</PageTitle>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied({ since, who, action });
        }}
      >
        <div class="field">
          <label for="audit-since">
            {t().since} ({t().osloTime})
          </label>
          <input id="audit-since" type="datetime-local" value={since} onInput={(e) => setSince((e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="audit-who">{t().actor}</label>
          <input id="audit-who" value={who} onInput={(e) => setWho((e.target as HTMLInputElement).value)} />
        </div>
        <div class="field">
          <label for="audit-action">{t().action}</label>
          <input id="audit-action" value={action} onInput={(e) => setAction((e.target as HTMLInputElement).value)} />
        </div>
        <button type="submit">{t().apply}</button>
      </form>
      {!data ? (
        <Loading error={error} />
      ) : (
        <div class="table-wrap">
          <p role="status">{t().count(items.length)}</p>
          <table>
            <thead>
              <tr>
                <th scope="col">
                  {t().when} ({t().osloTime})
                </th>
                <th scope="col">{t().actor}</th>
                <th scope="col">{t().action}</th>
                <th scope="col">{t().subject}</th>
                <th scope="col">{t().status}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((e) => (
                <tr key={e.id}>
                  <td>
                    <OsloTime iso={e.at} />
                  </td>
                  <td>{e.who}</td>
                  <th scope="row">{e.action}</th>
                  <td>{e.target ? Object.entries(e.target).map(([k, v]) => `${k}=${v}`).join(', ') : ''}</td>
                  <td>{e.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
