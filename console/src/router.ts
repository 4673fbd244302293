/** Hash routes (#/seminars/…): the console is static files, so no server fallback is needed. */
import { signal } from './state.js';

export const route = signal<{ path: string; flash?: string }>({ path: location.hash.slice(1) || '/' });

let pendingFlash: string | undefined;
addEventListener('hashchange', () => {
  route.set({ path: location.hash.slice(1) || '/', flash: pendingFlash });
  pendingFlash = undefined;
});

/** Navigates; `flash` is a message for the next page to announce. */
export function go(hash: string, flash?: string) {
  if (location.hash === hash) route.set({ path: hash.slice(1), flash });
  else {
    pendingFlash = flash;
    location.hash = hash;
  }
}

export function match(pattern: string, path: string): Record<string, string> | undefined {
  const p = pattern.split('/');
  const a = path.split('?')[0].split('/');
  if (p.length !== a.length) return undefined;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) out[p[i].slice(1)] = decodeURIComponent(a[i]);
    else if (p[i] !== a[i]) return undefined;
  }
  return out;
}
