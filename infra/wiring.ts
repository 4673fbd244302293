/**
 * The one wiring: the whole specification of every function and route. Each function: its entry, its
 * triggers (HTTP routes with their auth and throttling, or event rules from the catalog) and what it may
 * touch (`access`). From this one declaration come
 * - the CDK stack (infra/stack.ts): each function's IAM grants, its environment, its rules and routes;
 * - the local cloud (infra/local/): the same rules and routes, each function run with its own environment;
 * - the runtime: the HTTP route tables (functions/http/*-api.ts) are typed against these routes and take
 *   their auth and throttling from here; every function's environment is built by `functionEnvironment`
 *   (shared/env-names.ts) from its `access`.
 * So AWS, the local cloud and the handlers cannot drift apart. The shape (FunctionSpec, RouteSpec,
 * Access, ADMIN_GROUP) is declared in shared/spec.ts, below both infra/ and shared/.
 *
 * Keep this module free of SDK and CDK imports: it is plain data.
 */
import {
  patternFor,
  RegistrationCancelled,
  RegistrationConfirmed,
  RegistrationPromoted,
  RegistrationSubmitted,
  RegistrationRefused,
  SeminarScheduled,
  SeminarReminderDue,
  SeminarUpdated,
  SeminarCancelled,
  SeminarRecordingPublished,
  StreamingLinkDue,
  EmailBounced,
  EmailComplaintReceived,
  ApplicationDeadlineAnnounced,
  ApplicationDeadlineChanged,
  ApplicationDeadlineReminderDue,
  SubscriptionConfirmed,
  SubscriptionRequested,
  EmailSent,
} from '../events/index.js';
import type { EventRuleSpec, FunctionSpec, RouteSpec } from '../shared/spec.js';

export { ADMIN_GROUP, routeKey, throttlingOf } from '../shared/spec.js';
export type { Access, EventRuleSpec, FunctionSpec, HttpMethod, RouteAuth, RouteKeyOf, RouteSpec, RouteThrottling } from '../shared/spec.js';

const wiring = [
  {
    name: 'public-api',
    entry: 'functions/http/public-api.ts',
    description: 'Public routes: seminars, registration pages and forms, health',
    // links: pages and JSON carry absolute links (registration pages, form targets).
    access: { table: 'readwrite', bus: true, secret: true, links: true },
    routes: [
      { method: 'GET', path: '/health', auth: 'public', summary: 'Liveness' },
      { method: 'GET', path: '/seminars', auth: 'public', summary: 'Upcoming published seminars (JSON; the HTML list of upcoming and past seminars with Accept: text/html; ?lang=nb|en)' },
      { method: 'GET', path: '/seminars/{seminarId}', auth: 'public', summary: 'One published seminar with program and speakers' },
      { method: 'GET', path: '/seminars/{seminarId}/register', auth: 'public', summary: 'The registration page (HTML; ?lang=nb|en)' },
      { method: 'POST', path: '/seminars/{seminarId}/registrations', auth: 'public', throttle: 'write', summary: 'Register (JSON or HTML form post); 202, a confirmation link by email' },
      { method: 'GET', path: '/registrations/confirm', auth: 'public', summary: 'Confirm page with a button (changes nothing)' },
      { method: 'POST', path: '/registrations/confirm', auth: 'public', summary: 'Confirm the registration; shows the outcome' },
      { method: 'GET', path: '/registrations/cancel', auth: 'public', summary: 'Cancel page with a button (changes nothing)' },
      { method: 'POST', path: '/registrations/cancel', auth: 'public', summary: 'Cancel the registration (frees the seat); 409 once the seminar has started' },
      { method: 'GET', path: '/registrations/stop-emails', auth: 'public', summary: 'Page to stop emails about a seminar after its start, with a button (changes nothing)' },
      { method: 'POST', path: '/registrations/stop-emails', auth: 'public', summary: 'Stop further emails about the seminar; the registration stays; also the RFC 8058 one-click POST' },
      { method: 'GET', path: '/schemes', auth: 'public', summary: 'Schemes with their rounds, deadlines (Oslo time) and sessions: guidance sessions or a pitch day, each with `kind` and `label` in `rounds[].sessions` (`rounds[].guidanceSessions` keeps the guidance sessions only) (JSON; HTML with Accept: text/html; ?lang=nb|en)' },
      { method: 'GET', path: '/schemes/{schemeId}', auth: 'public', summary: 'One funding scheme with its rounds and a subscribe form (JSON or HTML)' },
      { method: 'POST', path: '/schemes/{schemeId}/subscriptions', auth: 'public', throttle: 'write', summary: 'Subscribe to a scheme (JSON: 202; an HTML form post: 303 to the scheme page saying "check your email"); a confirmation link by email' },
      {
        method: 'GET',
        path: '/series/{seriesId}/subscriptions',
        auth: 'public',
        summary: "The series' subscribe form on a page of its own (HTML; ?lang=nb|en; ?sent=1 after a form post: \"check your email\")",
      },
      {
        method: 'POST',
        path: '/series/{seriesId}/subscriptions',
        auth: 'public',
        throttle: 'write',
        summary: "Subscribe to a seminar series' new seminars and recordings (JSON: 202; the registration page's form: 303 back to that page saying \"check your email\"); a confirmation link by email",
      },
      { method: 'GET', path: '/subscriptions/confirm', auth: 'public', summary: 'Confirm-subscription page with a button (changes nothing)' },
      { method: 'POST', path: '/subscriptions/confirm', auth: 'public', summary: 'Confirm the subscription → SubscriptionConfirmed' },
      { method: 'GET', path: '/unsubscribe', auth: 'public', summary: 'Unsubscribe page with a button (changes nothing)' },
      { method: 'POST', path: '/unsubscribe', auth: 'public', summary: 'Unsubscribe; also the RFC 8058 one-click POST (List-Unsubscribe=One-Click)' },
    ],
  },
  {
    name: 'admin-api',
    entry: 'functions/http/admin-api.ts',
    // Also the public OpenAPI document: it is generated from the admin request schemas this function
    // holds anyway, and keeping the generator (zod's toJSONSchema, every route) out of the public
    // function keeps that function's cold start short.
    description: 'Admin routes (JWT, admins group), and the OpenAPI document',
    // secret: the key of the anonymous hash that stands for an erased address (shared/person.ts).
    access: { table: 'readwrite', bus: true, secret: true },
    routes: [
      { method: 'GET', path: '/openapi.json', auth: 'public', summary: 'This API description' },
      { method: 'POST', path: '/admin/seminars', auth: 'admin', summary: 'Create a draft seminar' },
      { method: 'GET', path: '/admin/seminars', auth: 'admin', summary: 'List all seminars, drafts included' },
      { method: 'PUT', path: '/admin/seminars/{seminarId}', auth: 'admin', summary: 'Update a seminar' },
      { method: 'PATCH', path: '/admin/seminars/{seminarId}', auth: 'admin', summary: 'Change some fields of a seminar (JSON merge patch), e.g. move it' },
      { method: 'GET', path: '/admin/seminars/{seminarId}', auth: 'admin', summary: 'One seminar, all fields' },
      { method: 'POST', path: '/admin/seminars/{seminarId}/schedule', auth: 'admin', summary: 'Schedule (publish) a seminar → SeminarScheduled' },
      { method: 'POST', path: '/admin/seminars/{seminarId}/cancel', auth: 'admin', summary: 'Cancel a seminar → SeminarCancelled' },
      { method: 'POST', path: '/admin/seminars/{seminarId}/recording', auth: 'admin', summary: 'Publish the recording link → SeminarRecordingPublished' },
      { method: 'GET', path: '/admin/seminars/{seminarId}/registrations', auth: 'admin', summary: 'Registrants as JSON, or CSV with Accept: text/csv' },
      { method: 'GET', path: '/admin/deliveries', auth: 'admin', summary: 'The delivery log of a seminar or deadline (?subject=)' },
      { method: 'POST', path: '/admin/events', auth: 'admin', summary: 'Put any catalogued event on the bus' },
      { method: 'GET', path: '/admin/audit', auth: 'admin', summary: 'The audit log of admin actions' },
      { method: 'POST', path: '/admin/schemes', auth: 'admin', summary: 'Create a funding scheme' },
      { method: 'GET', path: '/admin/schemes', auth: 'admin', summary: 'List funding schemes' },
      { method: 'GET', path: '/admin/schemes/{schemeId}', auth: 'admin', summary: 'One funding scheme with its rounds, reminder times and subscriber counts' },
      { method: 'PUT', path: '/admin/schemes/{schemeId}', auth: 'admin', summary: 'Replace a funding scheme' },
      { method: 'PATCH', path: '/admin/schemes/{schemeId}', auth: 'admin', summary: 'Change some fields of a funding scheme (JSON merge patch)' },
      { method: 'POST', path: '/admin/schemes/{schemeId}/deadlines', auth: 'admin', summary: 'Announce a round with its application deadline → ApplicationDeadlineAnnounced' },
      { method: 'GET', path: '/admin/deadlines/{deadlineId}', auth: 'admin', summary: 'One application deadline (round) with its reminder times' },
      { method: 'PUT', path: '/admin/deadlines/{deadlineId}', auth: 'admin', summary: 'Move a deadline or change its reminders or guidance sessions → ApplicationDeadlineChanged' },
      { method: 'PATCH', path: '/admin/deadlines/{deadlineId}', auth: 'admin', summary: 'Change some fields of a deadline (JSON merge patch), e.g. move it → ApplicationDeadlineChanged' },
      { method: 'GET', path: '/admin/people/{email}', auth: 'admin', summary: "Find a person by address: their registrations and subscriptions across seminars, schemes and series" },
      { method: 'DELETE', path: '/admin/people/{email}', auth: 'admin', summary: "Erase a person's data everywhere (GDPR); answers a receipt with counts and an anonymous hash" },
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
    name: 'on-registration-submitted',
    entry: 'functions/registrations/on-registration-submitted.ts',
    description: 'Sends the confirm-your-address email, or tells a repeated address what it already has; the refusal by the invitation list, once per address',
    access: { table: 'readwrite', ses: true, secret: true },
    rules: [
      { name: 'registration-submitted', events: [RegistrationSubmitted] },
      { name: 'registration-refused', events: [RegistrationRefused] },
    ],
  },
  {
    name: 'on-registration-confirmed',
    entry: 'functions/registrations/on-registration-confirmed.ts',
    description: 'Sends the confirmation email with the .ics invite',
    access: { table: 'readwrite', ses: true, secret: true },
    rules: [{ name: 'registration-confirmed', events: [RegistrationConfirmed] }],
  },
  {
    name: 'on-registration-cancelled',
    entry: 'functions/registrations/on-registration-cancelled.ts',
    description: 'Gives a freed physical seat to the first on the waitlist; sends the registrant who cancelled a receipt with the .ics that removes the event',
    // No secret: the receipt has no signed link (nothing left to cancel; registering again needs no token).
    access: { table: 'readwrite', ses: true, bus: true },
    rules: [{ name: 'registration-cancelled', events: [RegistrationCancelled] }],
  },
  {
    name: 'on-registration-promoted',
    entry: 'functions/registrations/on-registration-promoted.ts',
    description: 'Tells a promoted registrant they have a seat, with an updated .ics',
    access: { table: 'readwrite', ses: true, secret: true },
    rules: [{ name: 'registration-promoted', events: [RegistrationPromoted] }],
  },
  {
    name: 'send-seminar-reminders',
    entry: 'functions/seminars/send-seminar-reminders.ts',
    description: 'Sends the reminder before a seminar to every confirmed registrant, once each',
    access: { table: 'readwrite', notices: true },
    timeoutSeconds: 900,
    rules: [{ name: 'seminar-reminder-due', events: [SeminarReminderDue] }],
  },
  {
    name: 'send-streaming-link',
    entry: 'functions/seminars/send-streaming-link.ts',
    description: 'Sends the streaming link to every confirmed registrant, once each',
    access: { table: 'readwrite', notices: true },
    timeoutSeconds: 900,
    rules: [{ name: 'streaming-link-due', events: [StreamingLinkDue] }],
  },
  {
    name: 'on-seminar-updated',
    entry: 'functions/seminars/on-seminar-updated.ts',
    description: 'Moves schedules and tells registrants when a seminar moves; promotes the waitlist when capacity grows',
    access: { table: 'readwrite', scheduler: true, notices: true, bus: true },
    timeoutSeconds: 900,
    rules: [{ name: 'seminar-updated', events: [SeminarUpdated] }],
  },
  {
    name: 'on-seminar-cancelled',
    entry: 'functions/seminars/on-seminar-cancelled.ts',
    description: 'Deletes the schedules of a cancelled seminar and tells registrants (.ics METHOD:CANCEL)',
    access: { table: 'readwrite', scheduler: true, notices: true },
    timeoutSeconds: 900,
    rules: [{ name: 'seminar-cancelled', events: [SeminarCancelled] }],
  },
  {
    name: 'send-recording-link',
    entry: 'functions/seminars/send-recording-link.ts',
    description: 'Sends the recording link to every registrant, once each',
    access: { table: 'readwrite', notices: true },
    timeoutSeconds: 900,
    rules: [{ name: 'recording-published', events: [SeminarRecordingPublished] }],
  },
  {
    name: 'on-email-feedback',
    entry: 'functions/email/on-email-feedback.ts',
    description: 'Suppresses addresses that bounce permanently or complain; marks the ledger sent on SES send events',
    access: { table: 'readwrite' },
    rules: [{ name: 'ses-feedback', events: [EmailBounced, EmailComplaintReceived, EmailSent] }],
    // One event per email sent: in batches, one invocation (and one BatchGetItem of the ledger) per ten,
    // gathered for up to a second. Four batches at once take ~1,000 events a second (each batch ~40 ms of
    // calls), above any send rate we configure; an `Email Sent` only has to arrive within the ledger's
    // claim lease (5 minutes), a bounce before the next email to the address.
    queue: { batchSize: 10, maxBatchingWindowSeconds: 1, maxConcurrency: 4, maxReceiveCount: 5 },
  },
  {
    name: 'send-notices',
    entry: 'functions/email/send-notices.ts',
    description: 'Drains the send queue: each message a notice and up to 100 recipients by id, read again and sent once each within the account send budget',
    access: { table: 'readwrite', ses: true, secret: true },
    // A message is about four seconds of the send rate (recipientsPerNotice); the minute leaves room for a
    // slow SES and for waiting out another sender's claim. Its memory and how many run at once follow from
    // the account's send rate (senderMemoryMb, senderInstances in shared/email/rate.ts; the README's
    // "Sending" section); a message not finished comes back, and after five receives goes to the DLQ.
    timeoutSeconds: 60,
    drains: 'notices',
    queue: { batchSize: 1, maxBatchingWindowSeconds: 0, maxConcurrency: 2, maxReceiveCount: 5 },
  },
  {
    name: 'on-deadline-announced',
    entry: 'functions/schemes/on-deadline-announced.ts',
    description: "Creates a round's reminder schedules and sends the announcement to the scheme's subscribers, once each",
    access: { table: 'readwrite', scheduler: true, notices: true },
    timeoutSeconds: 900,
    rules: [{ name: 'deadline-announced', events: [ApplicationDeadlineAnnounced] }],
  },
  {
    name: 'on-deadline-changed',
    entry: 'functions/schemes/on-deadline-changed.ts',
    description: "Moves a round's reminder schedules (past ones are not sent late) and tells subscribers the new deadline",
    access: { table: 'readwrite', scheduler: true, notices: true },
    timeoutSeconds: 900,
    rules: [{ name: 'deadline-changed', events: [ApplicationDeadlineChanged] }],
  },
  {
    name: 'send-deadline-reminders',
    entry: 'functions/schemes/send-deadline-reminders.ts',
    description: 'Sends the reminder before an application deadline to every confirmed subscriber, once each (stale or past: nothing)',
    access: { table: 'readwrite', notices: true },
    timeoutSeconds: 900,
    rules: [{ name: 'deadline-reminder-due', events: [ApplicationDeadlineReminderDue] }],
  },
  {
    name: 'on-subscription-requested',
    entry: 'functions/schemes/on-subscription-requested.ts',
    description: 'Sends the confirm-your-subscription email (double opt-in)',
    access: { table: 'readwrite', ses: true, secret: true },
    rules: [{ name: 'subscription-requested', events: [SubscriptionRequested] }],
  },
  {
    name: 'on-subscription-confirmed',
    entry: 'functions/schemes/on-subscription-confirmed.ts',
    description: 'Sends a new subscriber the announcement of every open round of the scheme',
    access: { table: 'readwrite', ses: true, secret: true },
    rules: [{ name: 'subscription-confirmed', events: [SubscriptionConfirmed] }],
  },
  {
    name: 'on-guidance-session-scheduled',
    entry: 'functions/schemes/on-guidance-session-scheduled.ts',
    description: "Tells a scheme's subscribers about a newly scheduled guidance session of the scheme",
    access: { table: 'readwrite', notices: true },
    timeoutSeconds: 900,
    rules: [{ name: 'guidance-session-scheduled', events: [SeminarScheduled] }],
  },
  {
    name: 'notify-series-subscribers',
    entry: 'functions/series/notify-series-subscribers.ts',
    description: "Tells a series' subscribers about a newly scheduled seminar of the series (or one that joined it) and, later, its recording; once each",
    access: { table: 'readwrite', notices: true },
    timeoutSeconds: 900,
    rules: [
      { name: 'series-seminar-scheduled', events: [SeminarScheduled] },
      { name: 'series-seminar-joined', events: [SeminarUpdated] },
      { name: 'series-recording-published', events: [SeminarRecordingPublished] },
    ],
  },
  {
    name: 'notify-announced-changes',
    entry: 'functions/series/notify-announced-changes.ts',
    description: 'Tells the subscribers who were told about a seminar (its series, or the scheme of a guidance session) and are not registered that it moved or was cancelled',
    access: { table: 'readwrite', notices: true },
    timeoutSeconds: 900,
    rules: [
      { name: 'announced-seminar-moved', events: [SeminarUpdated] },
      { name: 'announced-seminar-cancelled', events: [SeminarCancelled] },
    ],
  },
] as const satisfies readonly FunctionSpec[];

/** Every wired function. */
export const functions: readonly FunctionSpec[] = wiring;

/** The wired functions, each with its literal type (route keys included). */
export type WiredFunction = (typeof wiring)[number];
export type FunctionName = WiredFunction['name'];

/** One function's wiring entry, typed: `wired('public-api').routes` is the tuple of its routes. */
export function wired<N extends FunctionName>(name: N): Extract<WiredFunction, { name: N }> {
  const spec = wiring.find((f) => f.name === name);
  if (!spec) throw new Error(`infra/wiring.ts: no function named ${name}`);
  return spec as Extract<WiredFunction, { name: N }>;
}

export function ruleFor(spec: EventRuleSpec) {
  return patternFor(...spec.events);
}

export function allRoutes(specs: readonly FunctionSpec[] = functions): Array<RouteSpec & { functionName: string }> {
  return specs.flatMap((f) => (f.routes ?? []).map((r) => ({ ...r, functionName: f.name })));
}
