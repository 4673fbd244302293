/**
 * Demo data from the source documents (shared/seeds), dated into the future, loaded through the admin
 * API on first start (when there are no seminars yet).
 */
import { mintToken } from './auth.js';

/** The same wall-clock time `days` days from now, as an ISO time in Oslo (offset taken from Intl). */
function osloAt(daysFromNow: number, hhmm: string): string {
  const day = new Date(Date.now() + daysFromNow * 86400_000);
  const ymd = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Oslo', year: 'numeric', month: '2-digit', day: '2-digit' }).format(day);
  const offsetName = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Oslo', timeZoneName: 'longOffset' })
    .formatToParts(new Date(`${ymd}T12:00:00Z`))
    .find((p) => p.type === 'timeZoneName')!.value; // "GMT+01:00"
  return `${ymd}T${hhmm}:00${offsetName.replace('GMT', '') || '+00:00'}`;
}

export function demoSeminars() {
  return [
    {
      title: 'Samordning i statsforvaltningen: Med blanke ark?',
      kind: 'seminar',
      seriesId: 'partnerforum-samordning',
      description:
        'Godt samarbeid på tvers av sektorer, nivåer og fagdisipliner er en forutsetning når det offentlige skal utvikle gode brukertjenester. Seminaret er det sjette og siste i Partnerforums seminarserie om Samordning i statsforvaltningen.',
      start: osloAt(21, '12:00'),
      end: osloAt(21, '16:00'),
      doorsOpen: '12:00',
      venue: { name: 'Universitetet i Oslo', address: 'Problemveien 7, 0313 Oslo', room: 'Gamle festsal' },
      capacity: 120,
      livestream: true,
      physicalDeadline: osloAt(18, '15:00'),
      eligibility: {
        kind: 'restricted',
        domains: ['uio.no', 'dfo.no', 'digdir.no', 'dep.no', 'helsedir.no'],
        invited: ['spesielt.invitert@example.no'],
        description: {
          nb: 'Deltakelse på seminarserien er forbeholdt ansatte hos partnerne og spesielt inviterte.',
          en: 'Participation in the seminar series is reserved for employees of the partners and specially invited guests.',
        },
      },
      program: [
        { start: '12:00', end: '12:30', title: 'Registrering og enkel servering', speakers: [] },
        { start: '12:30', title: 'Velkommen ved seminarleder', speakers: [{ name: 'Ruth Astrid Sæter', title: 'Seminarleder' }] },
        { start: '12:40', title: 'Med blanke ark? Hvordan designe løsninger på gjenstridige problemer?', speakers: [{ name: 'Astri Hildrum', organisation: 'DFD' }, { name: 'Dag Thomas Gisholt', organisation: 'Kunnskapsdepartementet' }] },
        { start: '13:20', end: '13:40', title: 'Pause med mingling og enkel bevertning', speakers: [] },
        { start: '13:40', title: 'Brukersentrert innovasjon på tvers av sektorer: En gjennomgående kulturendring', speakers: [{ name: 'Adélie Dorseuil', organisation: 'Helsedirektoratet' }] },
        { start: '16:00', title: 'Slutt', speakers: [] },
      ],
      speakers: [{ name: 'Ruth Astrid Sæter', title: 'Journalist og møteleder' }, { name: 'Kåre Svensson', title: 'Seniorrådgiver', organisation: 'UiO' }],
      contacts: [{ name: 'Kåre Svensson', title: 'Seniorrådgiver', phone: '+47 22 85 50 50' }],
      streamingUrl: 'https://example.no/stream/samordning-6',
    },
    {
      title: 'Frokostseminar: Bedre styring og ledelse',
      kind: 'breakfast-seminar',
      description:
        'DFØ og Difi har sanket erfaringer fra toppledere, mellomledere og medarbeidere i departementer og virksomheter som har vært involvert i utvalgte samarbeidsprosjekter. Resultatet er seks råd.',
      start: osloAt(35, '08:30'),
      end: osloAt(35, '10:00'),
      doorsOpen: '08:00',
      venue: { name: 'Regjeringskvartalet', room: 'Plenumssalen i R4', address: 'Einar Gerhardsens plass 1, Oslo' },
      capacity: 150,
      livestream: true,
      physicalDeadline: osloAt(32, '15:00'),
      program: [
        { start: '08:00', end: '08:30', title: 'Frokost', speakers: [] },
        { start: '08:30', title: 'Introduksjon til veiledningsnotatet', speakers: [{ name: 'Astri Tverstøl', organisation: 'Finansdepartementet' }] },
        { start: '08:45', end: '10:00', title: 'Samtale om de seks rådene', speakers: [{ name: 'Harald Saxegaard', organisation: 'DFØ' }, { name: 'Ingrid Finboe Svendsen' }, { name: 'Kjetil Moen' }, { name: 'Lennart Hartgen' }] },
      ],
      streamingUrl: 'https://example.no/nett-tv/frokostseminar',
    },
    {
      title: 'Veiledningssamling: medfinansieringsordningen',
      kind: 'guidance-session',
      description: 'For de som ønsker å søke medfinansiering for små og mellomstore digitaliseringsprosjekter. Opptil 50 prosent av prosjektkostnadene kan dekkes.',
      start: osloAt(14, '09:00'),
      end: osloAt(14, '11:30'),
      venue: { name: 'Difi', address: 'Grev Wedels plass 9, Oslo' },
      capacity: 40,
      livestream: true,
      streamingUrl: 'https://example.no/stream/veiledning',
    },
    {
      title: 'Veiledningssamling 2: medfinansieringsordningen',
      kind: 'guidance-session',
      description: 'Andre veiledningssamling før søknadsfristen: kost/nytte og gevinstrealisering.',
      start: osloAt(44, '09:00'),
      end: osloAt(44, '11:30'),
      venue: { name: 'Difi', address: 'Grev Wedels plass 9, Oslo' },
      capacity: 40,
      livestream: true,
      streamingUrl: 'https://example.no/stream/veiledning-2',
    },
  ];
}

/** The co-funding scheme of seed 001: 120 MNOK, up to 50 %, deadline 17 January (the first one at least 45 days away, after both guidance sessions). */
export function demoScheme() {
  const soon = new Date(Date.now() + 45 * 86400_000);
  const year = soon.getUTCMonth() === 0 && soon.getUTCDate() <= 17 ? soon.getUTCFullYear() : soon.getUTCFullYear() + 1;
  return {
    scheme: {
      name: 'Medfinansieringsordningen for digitaliseringsprosjekter',
      nameEn: 'The co-funding scheme for digitalisation projects',
      description: {
        nb: 'Statlige virksomheter kan søke om støtte til deler av investeringskostnadene i små og mellomstore digitaliseringsprosjekter. Prosjektene må dokumentere at de gir mer effektiv bruk av fellesskapets ressurser og levere en forpliktende gevinstrealiseringsplan.',
        en: 'Government agencies can apply for funding of part of the investment costs of small and medium-sized digitalisation projects. Projects must show that they use public resources more efficiently and deliver a binding benefits-realisation plan.',
      },
      budgetNok: 120_000_000,
      maxSharePercent: 50,
      url: 'https://example.no/medfinansiering',
      organiser: 'Difi',
    },
    round: { round: String(year), deadline: `${year}-01-17` },
  };
}

/**
 * The sketch competition of seed 004: sketches in by a date (end of day), then the five best pitch on a
 * pitch day (a seminar of kind `pitch` that the round lists), here 30 and 55 days from now.
 */
export function demoCompetition() {
  const deadline = osloAt(30, '12:00').slice(0, 10);
  return {
    scheme: {
      name: 'Skissekonkurranse for innovasjonspartnerskap',
      nameEn: 'Sketch competition for innovation partnerships',
      description: {
        nb: 'Innovasjon Norge, Difi og Leverandørutviklingsprogrammet inviterer til skissekonkurranse for offentlig-private innovasjonsprosjekter. De fem beste prosjektene inviteres til pitchekonkurranse. Vinnerne får hjelp til prosessen, tilgang på innovasjonskompetanse og risikoavlastning (ramme på inntil 15 millioner kroner totalt).',
        en: 'Innovation Norway, Difi and the National Programme for Supplier Development invite sketches for public-private innovation projects. The five best projects are invited to a pitch competition. The winners get help with the process, access to innovation expertise and risk relief (up to NOK 15 million in total).',
      },
      budgetNok: 15_000_000,
      url: 'https://example.no/innovasjonspartnerskap',
      organiser: 'Innovasjon Norge',
    },
    pitch: {
      title: 'Pitchekonkurranse: de fem beste skissene',
      kind: 'pitch',
      description: 'De fem beste prosjektskissene inviteres til å pitche for juryen.',
      start: osloAt(55, '09:00'),
      end: osloAt(55, '12:00'),
      venue: { name: 'Innovasjon Norge', address: 'Akersgata 13, Oslo' },
      capacity: 80,
      livestream: false,
    },
    round: { round: deadline.slice(0, 4), deadline },
  };
}

export async function loadDemoData(apiUrl: string, dataDir: string): Promise<{ loaded: string | undefined }> {
  const token = await mintToken(dataDir, { subject: 'demo-loader', expiresInSeconds: 600 });
  const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const existing = (await (await fetch(`${apiUrl}/admin/seminars`, { headers: auth })).json()) as { items?: unknown[] };
  if ((existing.items ?? []).length > 0) return { loaded: undefined };
  const titles: string[] = [];
  const demo = demoScheme();
  const schemeRes = await fetch(`${apiUrl}/admin/schemes`, { method: 'POST', headers: auth, body: JSON.stringify(demo.scheme) });
  if (!schemeRes.ok) throw new Error(`Demo scheme was refused: ${schemeRes.status} ${await schemeRes.text()}`);
  const schemeId = ((await schemeRes.json()) as { id: string }).id;
  const guidanceSessions: string[] = [];
  for (const demoSeminar of demoSeminars()) {
    const s = demoSeminar.kind === 'guidance-session' ? { ...demoSeminar, schemeId } : demoSeminar;
    const res = await fetch(`${apiUrl}/admin/seminars`, { method: 'POST', headers: auth, body: JSON.stringify(s) });
    if (!res.ok) throw new Error(`Demo seminar "${s.title}" was refused: ${res.status} ${await res.text()}`);
    const created = (await res.json()) as { id: string };
    const scheduled = await fetch(`${apiUrl}/admin/seminars/${created.id}/schedule`, { method: 'POST', headers: auth });
    if (!scheduled.ok) throw new Error(`Demo seminar "${s.title}" could not be scheduled: ${scheduled.status}`);
    titles.push(s.title);
    if (s.kind === 'guidance-session') guidanceSessions.push(created.id);
  }
  const round = await fetch(`${apiUrl}/admin/schemes/${schemeId}/deadlines`, { method: 'POST', headers: auth, body: JSON.stringify({ ...demo.round, guidanceSessions }) });
  if (!round.ok) throw new Error(`Demo deadline was refused: ${round.status} ${await round.text()}`);
  const competition = demoCompetition();
  const competitionRes = await fetch(`${apiUrl}/admin/schemes`, { method: 'POST', headers: auth, body: JSON.stringify(competition.scheme) });
  if (!competitionRes.ok) throw new Error(`Demo competition was refused: ${competitionRes.status} ${await competitionRes.text()}`);
  const competitionId = ((await competitionRes.json()) as { id: string }).id;
  const pitchRes = await fetch(`${apiUrl}/admin/seminars`, { method: 'POST', headers: auth, body: JSON.stringify({ ...competition.pitch, schemeId: competitionId }) });
  if (!pitchRes.ok) throw new Error(`Demo pitch day was refused: ${pitchRes.status} ${await pitchRes.text()}`);
  const pitchId = ((await pitchRes.json()) as { id: string }).id;
  const pitchScheduled = await fetch(`${apiUrl}/admin/seminars/${pitchId}/schedule`, { method: 'POST', headers: auth });
  if (!pitchScheduled.ok) throw new Error(`Demo pitch day could not be scheduled: ${pitchScheduled.status}`);
  titles.push(competition.pitch.title);
  const competitionRound = await fetch(`${apiUrl}/admin/schemes/${competitionId}/deadlines`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ ...competition.round, guidanceSessions: [pitchId] }),
  });
  if (!competitionRound.ok) throw new Error(`Demo competition deadline was refused: ${competitionRound.status} ${await competitionRound.text()}`);
  await fetch(`${apiUrl}/_local/idle`, { method: 'POST' });
  return {
    loaded: `${titles.length} seminars (${titles.join('; ')}), the scheme "${demo.scheme.name}" (deadline ${demo.round.deadline}) and "${competition.scheme.name}" (deadline ${competition.round.deadline}, then a pitch day)`,
  };
}
