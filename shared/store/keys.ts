/**
 * Every key and index of the one table, with the access pattern it serves.
 *
 * | item              | pk                 | sk                    | gsi1 (pk / sk)                          | gsi2 (pk / sk)               |
 * |-------------------|--------------------|-----------------------|-----------------------------------------|------------------------------|
 * | seminar           | SEMINAR#<id>       | META                  | SEMINARS / <start>#<id> (list by start) |                              |
 * | registration      | SEMINAR#<id>       | REG#<email>           | WAITLIST#<seminarId> / <confirmedAt>    | PERSON#<email> / SEMINAR#<id> |
 * | email ledger      | LEDGER#<subject>   | <kind>#<recipient>    |                                         | PERSON#<email> / LEDGER#...  |
 * | suppression       | SUPPRESSED#<email> | META                  |                                         |                              |
 * | audit entry       | AUDIT#<yyyy-mm>    | <time>#<id>           |                                         |                              |
 */
export const table = {
  pk: 'pk',
  sk: 'sk',
  gsi1: { name: 'gsi1', pk: 'gsi1pk', sk: 'gsi1sk' },
  gsi2: { name: 'gsi2', pk: 'gsi2pk', sk: 'gsi2sk' },
  ttl: 'expiresAt',
} as const;

export const keys = {
  seminar: (id: string) => ({ pk: `SEMINAR#${id}`, sk: 'META' }),
  seminarList: 'SEMINARS',
  registration: (seminarId: string, email: string) => ({ pk: `SEMINAR#${seminarId}`, sk: `REG#${email}` }),
  registrationPrefix: 'REG#',
  waitlist: (seminarId: string) => `WAITLIST#${seminarId}`,
  person: (email: string) => `PERSON#${email}`,
  ledger: (subject: string, kind: string, recipient: string) => ({ pk: `LEDGER#${subject}`, sk: `${kind}#${recipient}` }),
  suppressed: (email: string) => ({ pk: `SUPPRESSED#${email}`, sk: 'META' }),
} as const;
