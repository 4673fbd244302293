/**
 * Submissions refused by a seminar's private invitation list (shared/domain/eligibility.ts: `by-email`):
 * the refusal and its guard (one per address and seminar), both on the person index, so an erasure
 * deletes them with the rest of the address's items. Keys: shared/store/keys.ts.
 */
import type { RegistrationRefusal } from '../domain/model.js';
import { keys } from './keys.js';
import { createGuarded, getRecord } from './items.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Keeps the refusal unless the address already has one for the seminar, and answers the one it has (the
 * first): one transaction and one read, the calls a registration's submission makes (submitRegistration).
 */
export async function recordRefusal(r: RegistrationRefusal, expiresAt: number): Promise<RegistrationRefusal> {
  const person = { gsi2pk: keys.person(r.email), gsi2sk: keys.personRefusal(r.seminarId), expiresAt };
  for (let attempt = 0; ; attempt++) {
    const out = await createGuarded({ ...keys.refusalGuard(r.seminarId, r.email), refusalId: r.id, ...person }, { ...keys.refusal(r.seminarId, r.id), ...r, ...person }, 'refusalId');
    if (out.kind !== 'conflict') {
      const stored = await getRefusal(r.seminarId, out.kind === 'created' ? r.id : out.id);
      if (out.kind === 'created') return stored ?? r;
      if (stored) return stored;
    }
    // A conflict, or a guard whose refusal an erasure just deleted: again.
    if (attempt >= 20) throw new Error(`the refusal of an address for seminar ${r.seminarId} could not be kept`);
    await sleep(10 * (attempt + 1));
  }
}

export async function getRefusal(seminarId: string, id: string): Promise<RegistrationRefusal | undefined> {
  const found = await getRecord<RegistrationRefusal & { expiresAt?: number }>(keys.refusal(seminarId, id), true);
  if (!found) return undefined;
  const { expiresAt: _e, ...refusal } = found;
  return refusal;
}
