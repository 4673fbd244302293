/**
 * `GET /admin/people/{email}`: a person's registrations, subscriptions and emails; `DELETE`: erases the
 * person everywhere and answers with a receipt (GDPR art. 17).
 */
import * as z from 'zod/mini';
import { Email } from '../domain/primitives.js';
import { erasePerson } from '../store/erasure.js';
import { json, notFound, validationProblem } from '../http/responses.js';
import { personHistory } from '../app/person-history.js';
import type { HttpResult, RouteContext } from '../http/types.js';
import { now } from '../clock.js';
import { erasers } from '../app/erasers.js';

export const ErasePersonParams = z.object({ email: Email });

export async function erasePersonRoute(ctx: RouteContext): Promise<HttpResult> {
  const p = ErasePersonParams.safeParse(ctx.params);
  if (!p.success) throw validationProblem(p.error, 'path');
  const receipt = await erasePerson(p.data.email, erasers, now().toISOString());
  // The audit log names the person by the receipt's hash only.
  ctx.auditTarget = { emailHash: receipt.emailHash, receiptId: receipt.receiptId };
  return json(200, receipt, { 'cache-control': 'no-store' });
}

export async function findPersonRoute(ctx: RouteContext): Promise<HttpResult> {
  const p = ErasePersonParams.safeParse(ctx.params);
  if (!p.success) throw validationProblem(p.error, 'path');
  const history = await personHistory(p.data.email);
  if (!history) throw notFound('Nothing is stored about this address');
  return json(200, history, { 'cache-control': 'no-store' });
}
