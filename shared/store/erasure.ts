/**
 * Erasing a person (GDPR art. 17): every item that names the address is found through the person
 * index (gsi2: `PERSON#<email>`), handed to the eraser of the module that owns it (by the prefix of its
 * gsi2 sort key), and what no eraser claims is deleted outright, so a module that forgets to register an
 * eraser still leaves nothing behind. Erasers may also remove items that are not on the index (guard
 * items, counters). The receipt counts what was done per kind, and names the person only by an
 * anonymous keyed hash.
 *
 * The list of erasers is in shared/app/erasers.ts: a module that keeps personal data adds its
 * eraser there.
 */
import { DeleteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient } from '../aws/clients.js';
import { config } from '../config.js';
import { personHash } from '../person.js';
import { normaliseEmail } from '../domain/primitives.js';
import { newId } from '../ids.js';
import { keys, table } from './keys.js';

/** An item on the person index, as stored (pk, sk, gsi2sk and the module's own attributes). */
export type PersonItem = Record<string, unknown> & { pk: string; sk: string; gsi2sk: string };

export interface Person {
  /** Normalised (trimmed, lower case). */
  email: string;
  /** Anonymous keyed hash of the address (shared/person.ts). */
  hash: string;
  /** ISO time of the erasure. */
  at: string;
}

export interface Eraser {
  /** Module name, for errors. */
  name: string;
  /** Prefixes of `gsi2sk` on the person index that this eraser owns; it is handed those items. */
  owns: string[];
  /** Removes or anonymises the person's data; answers counts per kind (`registrations: 2`). */
  erase(person: Person, items: PersonItem[]): Promise<Record<string, number>>;
}

export interface ErasureReceipt {
  receiptId: string;
  /** The only trace of the address that is kept. */
  emailHash: string;
  erasedAt: string;
  /** What was removed or anonymised, per kind. */
  counts: Record<string, number>;
  total: number;
}

/** Every item of the person index for `email`, all pages. */
export async function personItems(email: string): Promise<PersonItem[]> {
  const items: PersonItem[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await documentClient().send(
      new QueryCommand({
        TableName: config().tableName,
        IndexName: table.gsi2.name,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': table.gsi2.pk },
        ExpressionAttributeValues: { ':p': keys.person(email) },
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...((out.Items ?? []) as PersonItem[]));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** Deletes one item if it still exists; true when it did. */
export async function deleteItem(key: { pk: unknown; sk: unknown }): Promise<boolean> {
  const out = await documentClient().send(
    new DeleteCommand({ TableName: config().tableName, Key: { pk: key.pk, sk: key.sk }, ReturnValues: 'ALL_OLD' }),
  );
  return Boolean(out.Attributes);
}

function add(into: Record<string, number>, counts: Record<string, number>) {
  for (const [k, v] of Object.entries(counts)) into[k] = (into[k] ?? 0) + v;
}

/**
 * Erases `email` everywhere. Idempotent: erasing again finds nothing and answers zero counts. The
 * person index is read again after each round (it is eventually consistent, and an eraser's side
 * effects, such as a cancellation, may touch items), until it is empty or after three rounds.
 */
export async function erasePerson(rawEmail: string, erasers: Eraser[], at: string): Promise<ErasureReceipt> {
  const email = normaliseEmail(rawEmail);
  const person: Person = { email, hash: await personHash(email), at };
  const counts: Record<string, number> = {};
  for (let round = 0; round < 3; round++) {
    const items = await personItems(email);
    if (round > 0 && items.length === 0) break;
    const left = new Set(items);
    for (const eraser of erasers) {
      const mine = items.filter((i) => eraser.owns.some((p) => String(i.gsi2sk ?? '').startsWith(p)));
      mine.forEach((i) => left.delete(i));
      if (round > 0 && mine.length === 0) continue;
      add(counts, await eraser.erase(person, mine));
    }
    // Items no eraser claims: deleted whole.
    let other = 0;
    for (const i of left) if (await deleteItem(i)) other++;
    if (other) add(counts, { otherItems: other });
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return { receiptId: newId(Date.parse(at)), emailHash: person.hash, erasedAt: at, counts, total };
}
