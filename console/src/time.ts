/** Times in Europe/Oslo: shown with a label, typed into datetime-local fields as Oslo wall-clock time. */
export const ZONE = 'Europe/Oslo';

const parts = (d: Date) => {
  const p = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(d);
  const get = (t: string) => Number(p.find((x) => x.type === t)?.value);
  return { y: get('year'), m: get('month'), d: get('day'), h: get('hour'), min: get('minute'), s: get('second') };
};

/** Minutes east of UTC that Oslo is at instant `d`. */
export function osloOffsetMinutes(d: Date): number {
  const p = parts(d);
  const asUtc = Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s);
  return Math.round((asUtc - Math.floor(d.getTime() / 1000) * 1000) / 60000);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** "2027-03-17T08:30" (Oslo wall clock) → "2027-03-17T08:30:00+01:00". */
export function osloLocalToIso(local: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) return local;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  let off = osloOffsetMinutes(new Date(wall));
  off = osloOffsetMinutes(new Date(wall - off * 60000));
  const sign = off >= 0 ? '+' : '-';
  const a = Math.abs(off);
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:00${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

/** An ISO time → "2027-03-17T08:30" in Oslo, for a datetime-local field. */
export function isoToOsloLocal(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = parts(d);
  return `${p.y}-${pad(p.m)}-${pad(p.d)}T${pad(p.h)}:${pad(p.min)}`;
}

/** "17. mars 2027 kl. 08:30" / "17 March 2027, 08:30", without the zone label. */
export function formatOslo(iso: string | undefined, lang: 'nb' | 'en'): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'nb' ? 'nb-NO' : 'en-GB', { timeZone: ZONE, dateStyle: 'long', timeStyle: 'short' }).format(d);
}
