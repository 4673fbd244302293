/**
 * The erasers that `DELETE /admin/people/{email}` runs (shared/store/erasure.ts), one per module that
 * keeps personal data. A module that starts keeping personal data adds its eraser to `erasers` below;
 * items it puts on the person index (gsi2 `PERSON#<email>`) and no eraser claims are deleted anyway.
 */
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { CLAIM_LEASE_MS } from '../store/ledger.js';
import { documentClient } from '../aws/clients.js';
import { config } from '../config.js';
import { publish } from '../aws/publisher.js';
import { RegistrationCancelled } from '../../events/index.js';
import { cancelRegistration } from '../store/registrations.js';
import { deleteAddressCounters } from '../store/rate-limits.js';
import { deleteItem, type Eraser, type PersonItem } from '../store/erasure.js';
import { keys, table } from '../store/keys.js';

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/**
 * Registrations: an active one is cancelled first, as the registrant's own cancel would (the physical
 * seat is freed in the same transaction and `RegistrationCancelled` lets the waitlist move up); then
 * the registration and its one-per-address guard item are deleted.
 */
export const registrationEraser: Eraser = {
  name: 'registrations',
  owns: [keys.registrationPrefix],
  async erase(person, items) {
    let registrations = 0;
    let guards = 0;
    let freedSeats = 0;
    for (const item of items) {
      const seminarId = str(item.seminarId);
      const id = str(item.id);
      const cancel = item.status === 'cancelled' ? undefined : await cancelRegistration(seminarId, id, person.at);
      if (await deleteItem(item)) registrations++;
      if (await deleteItem(keys.registrationGuard(seminarId, str(item.email) || person.email))) guards++;
      if (cancel?.cancelled) {
        if (cancel.freedSeat) freedSeats++;
        // After the delete: whoever reacts finds no registration to write to the person about.
        await publish({ event: RegistrationCancelled, detail: { version: 1, seminarId, registrationId: id, freedSeat: cancel.freedSeat } });
      }
    }
    return { registrations, registrationGuards: guards, seatsFreed: freedSeats };
  },
};

/**
 * Ledger entries (the delivery log) stay for the counts, but keep only the anonymous hash: each entry
 * is replaced, in one transaction, by a copy under `<kind>#anon-<hash>` without the address, the SES
 * message id or the error text (either may name the address), and off the person index.
 */
export const ledgerEraser: Eraser = {
  name: 'ledger',
  owns: ['LEDGER#'],
  async erase(person, items) {
    let anonymised = 0;
    const recipient = `anon-${person.hash}`;
    for (const found of items) {
      // An email being sent right now (its claim is fresh) is waited for: its sender read the recipient
      // before the erasure deleted what entitled them, and either sends it and records `sent`, or sees the
      // deletion and drops its claim. Then the entry as it is is anonymised (or is gone).
      const item = found.status === 'claimed' ? await settled(found) : found;
      if (!item) continue;
      const kind = str(item.kind);
      await documentClient().send(
        new TransactWriteCommand({
          TransactItems: [
            { Delete: { TableName: config().tableName, Key: { pk: item.pk, sk: item.sk }, ConditionExpression: 'attribute_exists(pk)' } },
            {
              Put: {
                TableName: config().tableName,
                Item: {
                  pk: item.pk,
                  sk: `${kind}#${recipient}`,
                  subjectId: item.subjectId,
                  kind,
                  recipient,
                  status: item.status,
                  attempts: item.attempts,
                  claimedAt: item.claimedAt,
                  ...(item.sentAt ? { sentAt: item.sentAt } : {}),
                  anonymisedAt: person.at,
                  ...(item[table.ttl] ? { [table.ttl]: item[table.ttl] } : {}),
                },
              },
            },
          ],
        }),
      ).then(
        () => anonymised++,
        (err: Error) => {
          // Already replaced by a concurrent erasure: nothing left to do for this entry.
          if (err.name !== 'TransactionCanceledException') throw err;
        },
      );
    }
    return { ledgerEntriesAnonymised: anonymised };
  },
};

/** How long an erasure waits for an email in flight to its person; a sender takes well under a second. */
export const IN_FLIGHT_WAIT_MS = 20_000;

/** The ledger item once its fresh claim is settled (sent, failed, released: undefined), or as it is after `IN_FLIGHT_WAIT_MS`. */
async function settled(item: PersonItem): Promise<PersonItem | undefined> {
  const waitUntil = Date.now() + IN_FLIGHT_WAIT_MS;
  let current: PersonItem | undefined = item;
  while (current && current.status === 'claimed' && Number(current.claimedAtMs ?? 0) > Date.now() - CLAIM_LEASE_MS && Date.now() < waitUntil) {
    await new Promise((r) => setTimeout(r, 100));
    const out = await documentClient().send(new GetCommand({ TableName: config().tableName, Key: { pk: item.pk, sk: item.sk }, ConsistentRead: true }));
    current = out.Item as PersonItem | undefined;
  }
  return current;
}

/** A suppression (bounce or complaint) names the address; SES's own account-level list keeps its record on AWS. */
export const suppressionEraser: Eraser = {
  name: 'suppression',
  owns: ['SUPPRESSED'],
  async erase(_person, items) {
    let n = 0;
    for (const item of items) if (await deleteItem(item)) n++;
    return { suppressions: n };
  },
};

/** Subscriptions to schemes and series (shared/store/subscriptions.ts), with their one-per-address guard items. */
export const subscriptionEraser: Eraser = {
  name: 'subscriptions',
  owns: ['SUB#'],
  async erase(person, items: PersonItem[]) {
    let subscriptions = 0;
    let guards = 0;
    for (const item of items) {
      const target = item.target as { kind?: string; id?: string } | undefined;
      if (await deleteItem(item)) subscriptions++;
      if (target?.kind && target.id && (await deleteItem(keys.subscriptionGuard(target.kind, target.id, str(item.email) || person.email)))) guards++;
    }
    return { subscriptions, subscriptionGuards: guards };
  },
};

/** The per-address submission counters of the public routes (keyed by the hash, short-lived anyway). */
export const rateCounterEraser: Eraser = {
  name: 'rate-limits',
  owns: [],
  async erase(person) {
    return { rateLimitCounters: await deleteAddressCounters(person.email) };
  },
};

/**
 * Every eraser, in order. Registrations come first: cancelling them may move the waitlist. What entitles
 * the person to emails (registrations, subscriptions) goes before the ledger is anonymised: a sender that
 * read them earlier checks for them after its claim (mailer.ts `entitledBy`), so no email and no entry
 * naming the person follows the receipt.
 */
export const erasers: Eraser[] = [registrationEraser, subscriptionEraser, ledgerEraser, suppressionEraser, rateCounterEraser];
