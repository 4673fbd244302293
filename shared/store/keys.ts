/**
 * Every key and index of the one table, with the access pattern it serves.
 *
 * | item              | pk                 | sk                    | gsi1 (pk / sk)                          | gsi2 (pk / sk)               |
 * |-------------------|--------------------|-----------------------|-----------------------------------------|------------------------------|
 * | seminar           | SEMINAR#<id>       | META                  | SEMINARS / <start>#<id> (list by start) |                              |
 * | registration      | SEMINAR#<id>       | REG#<registrationId>  | WAITLIST#<seminarId> / <confirmedAt>#<registrationId> (waitlisted only) | PERSON#<email> / REG#<seminarId> |
 * | address guard     | SEMINAR#<id>       | EMAIL#<email>         |                                         |                              |
 * | refusal           | SEMINAR#<id>       | REFUSAL#<refusalId>   |                                         | PERSON#<email> / REFUSAL#<seminarId> |
 * | refusal guard     | SEMINAR#<id>       | REFUSED-EMAIL#<email> |                                         | PERSON#<email> / REFUSAL#<seminarId> |
 * | email ledger      | LEDGER#<subject>   | <kind>#<recipient>    |                                         | PERSON#<email> / LEDGER#...  |
 * | suppression       | SUPPRESSED#<email> | META                  |                                         |                              |
 * | audit entry       | AUDIT#<yyyy-mm>    | <time>#<id>           |                                         |                              |
 * | rate counter      | RATE#<ip|address>#<hash> | <window start ms> |                                   |                              |
 * | send budget       | SEND#BUDGET        | ACCOUNT (next free send slot) |                                 |                              |
 * | scheme            | SCHEME#<id>        | META                  | SCHEMES / <createdAt>#<id> (list)       |                              |
 * | deadline (round)  | SCHEME#<schemeId>  | DEADLINE#<id>         |                                         |                              |
 * | deadline pointer  | DEADLINE#<id>      | META (→ schemeId)     |                                         |                              |
 * | guidance pointer  | GUIDANCE#<seminarId> | DEADLINE#<id> (→ schemeId) |                                   |                              |
 * | subscription      | SUBS#<kind>#<id>   | SUB#<subscriptionId>  |                                         | PERSON#<email> / SUB#<kind>#<id> |
 * | subscription guard| SUBS#<kind>#<id>   | EMAIL#<email>         |                                         |                              |
 *
 * A scheme's partition holds the scheme and its rounds (one query reads both). The subscriptions of a
 * scheme (or series) live in their own partition, paged through for fan-out; the guard item keeps one
 * subscription per address and target.
 *
 * A series has no item: its seminars carry `seriesId` (and `seriesTitle`), and the seminars of a series
 * are read from the seminar list (gsi1 `SEMINARS`) with a filter on `seriesId`.
 */
export const table = {
  pk: 'pk',
  sk: 'sk',
  gsi1: { name: 'gsi1', pk: 'gsi1pk', sk: 'gsi1sk' },
  gsi2: { name: 'gsi2', pk: 'gsi2pk', sk: 'gsi2sk' },
  ttl: 'expiresAt',
} as const;

/**
 * The table's definition: every key attribute is a string, every index is global and projects all
 * attributes, items expire through the TTL attribute. The CDK stack (infra/constructs/table.ts) and the
 * local cloud (infra/local/dynamo.ts) both create the table from this.
 */
export const tableDefinition = {
  partitionKey: table.pk,
  sortKey: table.sk,
  indexes: [table.gsi1, table.gsi2],
  ttlAttribute: table.ttl,
} as const;

export const keys = {
  seminar: (id: string) => ({ pk: `SEMINAR#${id}`, sk: 'META' }),
  seminarList: 'SEMINARS',
  registration: (seminarId: string, registrationId: string) => ({ pk: `SEMINAR#${seminarId}`, sk: `REG#${registrationId}` }),
  /** One registration per address and seminar (shared/store/registrations.ts). */
  registrationGuard: (seminarId: string, email: string) => ({ pk: `SEMINAR#${seminarId}`, sk: `EMAIL#${email}` }),
  registrationPrefix: 'REG#',
  registrationGuardPrefix: 'EMAIL#',
  /** A submission refused by the invitation list, and the guard that keeps one per address (shared/store/refusals.ts). */
  refusal: (seminarId: string, refusalId: string) => ({ pk: `SEMINAR#${seminarId}`, sk: `REFUSAL#${refusalId}` }),
  refusalGuard: (seminarId: string, email: string) => ({ pk: `SEMINAR#${seminarId}`, sk: `REFUSED-EMAIL#${email}` }),
  /** gsi2 sort key of a refusal and its guard under their person: both go with an erasure (no eraser claims them). */
  personRefusal: (seminarId: string) => `REFUSAL#${seminarId}`,
  /** gsi2 sort key of a registration under its person (`gsi2pk` = person). */
  personRegistration: (seminarId: string) => `REG#${seminarId}`,
  waitlist: (seminarId: string) => `WAITLIST#${seminarId}`,
  person: (email: string) => `PERSON#${email}`,
  ledger: (subject: string, kind: string, recipient: string) => ({ pk: `LEDGER#${subject}`, sk: `${kind}#${recipient}` }),
  suppressed: (email: string) => ({ pk: `SUPPRESSED#${email}`, sk: 'META' }),
  scheme: (id: string) => ({ pk: `SCHEME#${id}`, sk: 'META' }),
  schemePartition: (id: string) => `SCHEME#${id}`,
  schemeList: 'SCHEMES',
  deadline: (schemeId: string, id: string) => ({ pk: `SCHEME#${schemeId}`, sk: `DEADLINE#${id}` }),
  deadlinePrefix: 'DEADLINE#',
  deadlinePointer: (id: string) => ({ pk: `DEADLINE#${id}`, sk: 'META' }),
  /** A round lists a seminar as one of its guidance sessions: found from the seminar. */
  guidancePointer: (seminarId: string, deadlineId: string) => ({ pk: `GUIDANCE#${seminarId}`, sk: `DEADLINE#${deadlineId}` }),
  guidancePartition: (seminarId: string) => `GUIDANCE#${seminarId}`,
  subscriptionPartition: (kind: string, targetId: string) => `SUBS#${kind}#${targetId}`,
  subscription: (kind: string, targetId: string, id: string) => ({ pk: `SUBS#${kind}#${targetId}`, sk: `SUB#${id}` }),
  subscriptionPrefix: 'SUB#',
  subscriptionGuard: (kind: string, targetId: string, email: string) => ({ pk: `SUBS#${kind}#${targetId}`, sk: `EMAIL#${email}` }),
  /** The account's shared send budget: the next free SES send slot (shared/store/send-budget.ts). */
  sendBudget: { pk: 'SEND#BUDGET', sk: 'ACCOUNT' },
  /** Fixed-window submission counter (shared/store/rate-limits.ts); `hash` is a keyed hash, never the address or IP. */
  rateCounter: (kind: 'ip' | 'address', hash: string, windowStartMs: number) => ({ pk: `RATE#${kind}#${hash}`, sk: String(windowStartMs) }),
} as const;
