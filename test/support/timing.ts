/** Most of `times` (epoch ms) in any window of one second, sliding over every time: a send rate's peak. */
export function busiestSecond(times: number[]): number {
  const t = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i] - t[j] >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/** Most of `times` in one calendar second (as SES counts its per-second quota). */
export function busiestCalendarSecond(times: number[]): number {
  const perSecond = new Map<number, number>();
  for (const x of times) perSecond.set(Math.floor(x / 1000), (perSecond.get(Math.floor(x / 1000)) ?? 0) + 1);
  return Math.max(0, ...perSecond.values());
}
