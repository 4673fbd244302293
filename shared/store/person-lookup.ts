/**
 * What the table holds about one address, read from the person index (gsi2 `PERSON#<email>`, the same
 * index erasure walks: shared/store/erasure.ts): registrations (`REG#<seminarId>`), subscriptions
 * (`SUB#<kind>#<id>`), delivery-log entries (`LEDGER#…`) and a suppression (`SUPPRESSED`).
 */
import type { Registration } from '../domain/model.js';
import type { Subscription } from '../domain/funding.js';
import { normaliseEmail } from '../domain/primitives.js';
import { personItems } from './erasure.js';
import { fromItem as registrationOf } from './registrations.js';
import { fromItem as subscriptionOf } from './subscriptions.js';
import { toEntry, type LedgerEntry } from './ledger.js';

export interface PersonRecords {
  email: string;
  registrations: Registration[];
  subscriptions: Subscription[];
  deliveries: LedgerEntry[];
  suppressed: boolean;
}

export async function personRecords(rawEmail: string): Promise<PersonRecords> {
  const email = normaliseEmail(rawEmail);
  const out: PersonRecords = { email, registrations: [], subscriptions: [], deliveries: [], suppressed: false };
  for (const item of await personItems(email)) {
    const sk = String(item.gsi2sk);
    if (sk.startsWith('REG#')) out.registrations.push(registrationOf(item)!);
    else if (sk.startsWith('SUB#')) out.subscriptions.push(subscriptionOf(item)!);
    else if (sk.startsWith('LEDGER#')) out.deliveries.push(toEntry(item));
    else if (sk === 'SUPPRESSED') out.suppressed = true;
  }
  return out;
}
