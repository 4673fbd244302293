/**
 * The one wiring. Each function: its entry, its triggers (HTTP routes or event rules from the catalog)
 * and what it may touch. The CDK stack (infra/stack.ts) and the local cloud (infra/local/) both read
 * this, so AWS and the local cloud cannot drift apart.
 *
 * Keep this module free of SDK and CDK imports: it is plain data.
 */
import {
  patternFor,
  SeminarScheduled,
  SeminarReminderDue,
  type EventDefinition,
} from '../events/index.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RouteSpec {
  method: HttpMethod;
  /** API Gateway path syntax: /seminars/{seminarId} */
  path: string;
  /** `admin` routes need a JWT of the admins group; `public` routes need nothing. */
  auth: 'public' | 'admin';
  summary: string;
}

export interface EventRuleSpec {
  /** Rule name, unique in the wiring. */
  name: string;
  events: EventDefinition[];
}

export interface Access {
  table?: 'read' | 'readwrite';
  /** May put events on the bus. */
  bus?: boolean;
  /** May create, update and delete schedules in the group (and pass the scheduler role). */
  scheduler?: boolean;
  /** May send email through SES. */
  ses?: boolean;
  /** May read the token-signing secret. */
  secret?: boolean;
}

export interface FunctionSpec {
  /** kebab-case, unique; becomes the construct id. */
  name: string;
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  description: string;
  memoryMb?: number;
  timeoutSeconds?: number;
  routes?: RouteSpec[];
  rules?: EventRuleSpec[];
  access: Access;
}

export const ADMIN_GROUP = 'admins';

/** Route key as API Gateway writes it in payload 2.0 (`GET /seminars/{seminarId}`). */
export const routeKey = (r: Pick<RouteSpec, 'method' | 'path'>): string => `${r.method} ${r.path}`;

export const functions: FunctionSpec[] = [
  {
    name: 'public-api',
    entry: 'functions/http/public-api.ts',
    description: 'Public routes: seminars, registration pages and forms, health, OpenAPI',
    access: { table: 'readwrite', bus: true, secret: true },
    routes: [
      { method: 'GET', path: '/health', auth: 'public', summary: 'Liveness' },
      { method: 'GET', path: '/openapi.json', auth: 'public', summary: 'This API description' },
      { method: 'GET', path: '/seminars', auth: 'public', summary: 'Upcoming published seminars' },
      { method: 'GET', path: '/seminars/{seminarId}', auth: 'public', summary: 'One published seminar with program and speakers' },
    ],
  },
  {
    name: 'admin-api',
    entry: 'functions/http/admin-api.ts',
    description: 'Admin routes (JWT, admins group)',
    access: { table: 'readwrite', bus: true },
    routes: [
      { method: 'POST', path: '/admin/seminars', auth: 'admin', summary: 'Create a draft seminar' },
      { method: 'GET', path: '/admin/seminars', auth: 'admin', summary: 'List all seminars, drafts included' },
      { method: 'PUT', path: '/admin/seminars/{seminarId}', auth: 'admin', summary: 'Update a seminar' },
      { method: 'POST', path: '/admin/seminars/{seminarId}/schedule', auth: 'admin', summary: 'Schedule (publish) a seminar' },
    ],
  },
  {
    name: 'on-seminar-scheduled',
    entry: 'functions/seminars/on-seminar-scheduled.ts',
    description: 'Publishes the seminar and creates its reminder and streaming-link schedules',
    access: { table: 'readwrite', scheduler: true },
    rules: [{ name: 'seminar-scheduled', events: [SeminarScheduled] }],
  },
  {
    name: 'send-seminar-reminders',
    entry: 'functions/seminars/send-seminar-reminders.ts',
    description: 'Sends the reminder before a seminar to every confirmed registrant, once each',
    access: { table: 'readwrite', ses: true, secret: true },
    timeoutSeconds: 900,
    rules: [{ name: 'seminar-reminder-due', events: [SeminarReminderDue] }],
  },
];

export function ruleFor(spec: EventRuleSpec) {
  return patternFor(...spec.events);
}

export function allRoutes(): Array<RouteSpec & { functionName: string }> {
  return functions.flatMap((f) => (f.routes ?? []).map((r) => ({ ...r, functionName: f.name })));
}
