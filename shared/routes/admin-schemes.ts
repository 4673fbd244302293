/**
 * Admin routes for funding schemes and their application deadlines. Thin: parse (zod, 4xx naming the
 * field), call the store, publish the catalogued event, map.
 */
import { ApplicationDeadlineAnnounced, ApplicationDeadlineChanged } from '../../events/index.js';
import { applyDeadlineUpdate, isRoundSessionKind, parseDeadline, ROUND_SESSION_KINDS, roundStatus, type Deadline, type Scheme } from '../domain/funding.js';
import { DeadlineInput, DeadlineUpdate, SchemeInput } from '../domain/admin-inputs.js';
import { Id } from '../domain/primitives.js';
import {
  createDeadline,
  createScheme,
  findDeadline,
  getSchemeWithRounds,
  listSchemes,
  replaceDeadline,
  replaceScheme,
} from '../store/schemes.js';
import { countSubscriptions } from '../store/subscriptions.js';
import { getSeminar } from '../store/seminars.js';
import { publish } from '../aws/publisher.js';
import { newId } from '../ids.js';
import { now } from '../clock.js';
import { badRequest, conflict, json, notFound, validationProblem } from '../http/responses.js';
import { applyPatch, pickFields } from '../domain/merge-patch.js';
import { osloDate } from '../domain/time.js';
import type { HttpResult, RouteContext } from '../http/types.js';
import { deadlineReminderScheduleName } from '../app/deadline-schedules.js';
import { reminderMoments } from '../domain/funding.js';

const invalid = (path: string[], message: string) => validationProblem({ issues: [{ path, message }] });

function schemeIdParam(ctx: RouteContext): string {
  const id = ctx.params.schemeId ?? '';
  if (!Id.safeParse(id).success) throw notFound(`No scheme with id ${id}`);
  return id;
}

async function loadScheme(ctx: RouteContext) {
  const id = schemeIdParam(ctx);
  const found = await getSchemeWithRounds(id, true);
  if (!found) throw notFound(`No scheme with id ${id}`);
  return found;
}

/** A round as admins see it: status, and when each reminder goes out. */
function adminRound(d: Deadline, at: Date) {
  const { retiredOffsets: _r, ...rest } = d;
  return {
    ...rest,
    status: roundStatus(d, at),
    reminders: reminderMoments(d).map((m) => ({
      offsetDays: m.offsetDays,
      at: m.at.toISOString(),
      schedule: deadlineReminderScheduleName(d.id, m.offsetDays),
      due: m.at.getTime() > at.getTime(),
    })),
  };
}

export async function createSchemeRoute(ctx: RouteContext): Promise<HttpResult> {
  const parsed = SchemeInput.safeParse(ctx.body);
  if (!parsed.success) throw validationProblem(parsed.error);
  const at = now().toISOString();
  const scheme: Scheme = { ...parsed.data, id: newId(), createdAt: at, updatedAt: at };
  await createScheme(scheme);
  return json(201, scheme, { location: `/admin/schemes/${scheme.id}` });
}

export async function listSchemesAdminRoute(): Promise<HttpResult> {
  return json(200, { items: await listSchemes() });
}

export async function getSchemeAdminRoute(ctx: RouteContext): Promise<HttpResult> {
  const { scheme, rounds } = await loadScheme(ctx);
  const at = now();
  const subscribers = await countSubscriptions({ kind: 'scheme', id: scheme.id });
  return json(200, { ...scheme, rounds: rounds.map((r) => adminRound(r, at)), subscribers });
}

export async function updateSchemeRoute(ctx: RouteContext): Promise<HttpResult> {
  const { scheme: current } = await loadScheme(ctx);
  return applySchemeBody(current, ctx.body);
}

/** A merge patch (RFC 7396) must be a JSON object; it is merged into `base`. */
function mergedBody(base: Record<string, unknown>, body: unknown) {
  const patched = applyPatch(base, body);
  if (!patched.ok) throw badRequest('The body is not a merge patch', [{ field: '(body)', message: patched.message }]);
  return patched;
}

/** `PATCH`: the changed fields only, merged into the scheme's editable fields, then as the PUT. */
export async function patchSchemeRoute(ctx: RouteContext): Promise<HttpResult> {
  const { scheme: current } = await loadScheme(ctx);
  return applySchemeBody(current, mergedBody(pickFields(current, Object.keys(SchemeInput.shape)), ctx.body).merged);
}

async function applySchemeBody(current: Scheme, body: unknown): Promise<HttpResult> {
  const parsed = SchemeInput.safeParse(body);
  if (!parsed.success) throw validationProblem(parsed.error);
  const updated: Scheme = { ...parsed.data, id: current.id, createdAt: current.createdAt, updatedAt: now().toISOString() };
  if (!(await replaceScheme(updated, current.updatedAt))) throw conflict('The scheme was changed by someone else; read it again and retry');
  return json(200, updated);
}

/** A deadline must lie ahead, and a round's sessions must be seminars of kind guidance-session or pitch. */
async function checkDeadline(deadline: string | undefined, guidanceSessions: string[] | undefined, at: Date): Promise<void> {
  if (deadline !== undefined && Date.parse(parseDeadline(deadline).deadline) <= at.getTime()) {
    throw invalid(['deadline'], 'must be in the future');
  }
  for (const [i, id] of (guidanceSessions ?? []).entries()) {
    const s = await getSeminar(id);
    if (!s) throw invalid(['guidanceSessions', String(i)], `no seminar with id ${id}`);
    if (!isRoundSessionKind(s.kind)) throw invalid(['guidanceSessions', String(i)], `seminar ${id} is a ${s.kind}, not a ${ROUND_SESSION_KINDS.join(' or ')}`);
  }
}

export async function createDeadlineRoute(ctx: RouteContext): Promise<HttpResult> {
  const { scheme } = await loadScheme(ctx);
  const parsed = DeadlineInput.safeParse(ctx.body);
  if (!parsed.success) throw validationProblem(parsed.error);
  const input = parsed.data;
  const at = now();
  await checkDeadline(input.deadline, input.guidanceSessions, at);
  const deadline: Deadline = {
    id: newId(at.getTime()),
    schemeId: scheme.id,
    round: input.round,
    ...parseDeadline(input.deadline),
    reminderOffsets: input.reminderOffsets,
    retiredOffsets: [],
    guidanceSessions: input.guidanceSessions,
    revision: 0,
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
  };
  await createDeadline(deadline);
  const [eventId] = await publish({
    event: ApplicationDeadlineAnnounced,
    detail: { version: 1, schemeId: scheme.id, deadlineId: deadline.id, deadline: deadline.deadline },
  });
  return json(201, { ...adminRound(deadline, at), eventId }, { location: `/admin/deadlines/${deadline.id}` });
}

async function loadDeadline(ctx: RouteContext): Promise<Deadline> {
  const id = ctx.params.deadlineId ?? '';
  const d = Id.safeParse(id).success ? await findDeadline(id) : undefined;
  if (!d) throw notFound(`No deadline with id ${id}`);
  return d;
}

export async function getDeadlineAdminRoute(ctx: RouteContext): Promise<HttpResult> {
  return json(200, adminRound(await loadDeadline(ctx), now()));
}

export async function updateDeadlineRoute(ctx: RouteContext): Promise<HttpResult> {
  return applyDeadlineBody(await loadDeadline(ctx), ctx.body);
}

/**
 * `PATCH`: merged into the round's fields (its deadline as the date it was given as, for an end-of-day one)
 * and validated as a whole round; what the patch names is then applied as the PUT applies it.
 */
export async function patchDeadlineRoute(ctx: RouteContext): Promise<HttpResult> {
  const current = await loadDeadline(ctx);
  const base = pickFields({ ...current, deadline: current.endOfDay ? osloDate(current.deadline) : current.deadline }, Object.keys(DeadlineInput.shape));
  const patched = mergedBody(base, ctx.body);
  const whole = DeadlineInput.safeParse(patched.merged);
  if (!whole.success) throw validationProblem(whole.error);
  return applyDeadlineBody(current, pickFields(whole.data, patched.touched));
}

async function applyDeadlineBody(current: Deadline, body: unknown): Promise<HttpResult> {
  const parsed = DeadlineUpdate.safeParse(body);
  if (!parsed.success) throw validationProblem(parsed.error);
  const at = now();
  if (roundStatus(current, at) === 'closed') throw conflict('The deadline has passed; the round is closed');
  await checkDeadline(parsed.data.deadline, parsed.data.guidanceSessions, at);
  const { next, moved } = applyDeadlineUpdate(current, parsed.data, at.toISOString());
  if (!(await replaceDeadline(next, current))) throw conflict('The deadline was changed by someone else; read it again and retry');
  const [eventId] = await publish({
    event: ApplicationDeadlineChanged,
    detail: {
      version: 1,
      schemeId: next.schemeId,
      deadlineId: next.id,
      deadline: next.deadline,
      previousDeadline: current.deadline,
      revision: next.revision,
    },
  });
  return json(200, { ...adminRound(next, at), moved, previousDeadline: current.deadline, eventId });
}
