import * as z from 'zod/mini';
import '../shared/zod-locale.js';

/** Our event sources. AWS-owned sources (aws.ses) are declared in their own modules. */
export const Sources = {
  registrations: 'seminar-events.registrations',
  seminars: 'seminar-events.seminars',
  funding: 'seminar-events.funding',
  subscriptions: 'seminar-events.subscriptions',
  clock: 'seminar-events.clock',
  ses: 'aws.ses',
} as const;
export type Source = (typeof Sources)[keyof typeof Sources];

export interface EventDefinition<D extends string = string, S extends z.ZodMiniType = z.ZodMiniType> {
  readonly detailType: D;
  readonly source: Source;
  readonly schema: S;
  readonly description: string;
  /** Events we publish ourselves carry a `version`; AWS's own events do not. */
  readonly ours: boolean;
}

/**
 * The detail schema is given as a function and built on first use: a function handles one or two
 * events of the catalog, and building every schema at import would add to each cold start.
 */
export function defineEvent<D extends string, S extends z.ZodMiniType>(def: {
  detailType: D;
  source: Source;
  schema: () => S;
  description: string;
  ours?: boolean;
}): EventDefinition<D, S> {
  let built: S | undefined;
  return {
    detailType: def.detailType,
    source: def.source,
    description: def.description,
    ours: def.ours ?? true,
    get schema() {
      return (built ??= def.schema());
    },
  };
}

export type DetailOf<E> = E extends EventDefinition<string, infer S> ? z.output<S> : never;

/** The version of our events' detail. Ids, times and languages are the domain's (shared/domain/primitives.ts). */
export const V1 = z.literal(1);
