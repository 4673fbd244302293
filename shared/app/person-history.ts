/**
 * A person found by address across seminars, schemes and series (`GET /admin/people/{email}`): their
 * registrations with each seminar's title and start and the waitlist place now, their subscriptions
 * with the scheme's or series' name, the emails sent to them, and whether they are suppressed.
 */
import { personRecords } from '../store/person-lookup.js';
import { getSeminar } from '../store/seminars.js';
import { getScheme } from '../store/schemes.js';
import { waitlistPosition } from '../store/registrations.js';
import { loadSeries } from './series.js';
import type { Subscription } from '../domain/funding.js';

async function targetName(t: Subscription['target']): Promise<string | undefined> {
  if (t.kind === 'scheme') return (await getScheme(t.id))?.name;
  return (await loadSeries(t.id)).name('nb');
}

export async function personHistory(email: string) {
  const found = await personRecords(email);
  const registrations = await Promise.all(
    found.registrations.map(async (r) => {
      const s = await getSeminar(r.seminarId);
      return {
        seminarId: r.seminarId,
        title: s?.title,
        start: s?.start,
        end: s?.end,
        seminarStatus: s?.status,
        registrationId: r.id,
        status: r.status,
        requestedMode: r.requestedMode,
        attendance: r.attendance,
        waitlistPlace: r.status === 'confirmed' && r.attendance === 'waitlisted' ? await waitlistPosition(r) : undefined,
        language: r.language,
        submittedAt: r.submittedAt,
        confirmedAt: r.confirmedAt,
        cancelledAt: r.cancelledAt,
      };
    }),
  );
  const subscriptions = await Promise.all(
    found.subscriptions.map(async (s) => ({
      kind: s.target.kind,
      id: s.target.id,
      name: await targetName(s.target),
      status: s.status,
      language: s.language,
      requestedAt: s.requestedAt,
      confirmedAt: s.confirmedAt,
      unsubscribedAt: s.unsubscribedAt,
    })),
  );
  registrations.sort((a, b) => String(b.start ?? '').localeCompare(String(a.start ?? '')));
  const deliveries = found.deliveries.map(({ recipient: _r, ...e }) => e).sort((a, b) => b.claimedAt.localeCompare(a.claimedAt));
  const nothing = registrations.length + subscriptions.length + deliveries.length === 0 && !found.suppressed;
  return nothing ? undefined : { email: found.email, registrations, subscriptions, deliveries, suppressed: found.suppressed };
}
