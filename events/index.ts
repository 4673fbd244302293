export * from './define.js';
export * from './registrations.js';
export * from './seminars.js';
export * from './funding.js';
export * from './ses.js';

import * as registrations from './registrations.js';
import * as seminars from './seminars.js';
import * as funding from './funding.js';
import * as ses from './ses.js';
import type { EventDefinition } from './define.js';

/** Every catalogued event, by detail-type. */
export const catalog: Record<string, EventDefinition> = Object.fromEntries(
  [registrations, seminars, funding, ses]
    .flatMap((m) => Object.values(m))
    .map((e) => [(e as EventDefinition).detailType, e as EventDefinition]),
);

export function findEvent(detailType: string): EventDefinition | undefined {
  return Object.prototype.hasOwnProperty.call(catalog, detailType) ? catalog[detailType] : undefined;
}

/** An EventBridge pattern matching exactly the given catalogued events. */
export function patternFor(...events: EventDefinition[]): { source: string[]; 'detail-type': string[] } {
  return {
    source: [...new Set(events.map((e) => e.source))],
    'detail-type': events.map((e) => e.detailType),
  };
}
