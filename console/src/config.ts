/** The runtime config, fetched at start from ./config.json: one definition with both hosts that write it. */
import type { ConsoleConfig } from '../../infra/console-headers.js';
export type { ConsoleConfig };

let config: ConsoleConfig | undefined;

export async function loadConfig(): Promise<ConsoleConfig> {
  const res = await fetch(new URL('config.json', document.baseURI).toString(), { cache: 'no-store' });
  if (!res.ok) throw new Error(`config.json: HTTP ${res.status}`);
  config = (await res.json()) as ConsoleConfig;
  return config;
}

export function cfg(): ConsoleConfig {
  if (!config) throw new Error('config not loaded');
  return config;
}
