/**
 * A notice: one email to everyone on a list (the registrants of a seminar, the subscribers of a scheme or
 * series). A fan-out function only decides that a notice is due and puts it on the send queue: who gets it
 * (ids, a few dozen per message) and which notice it is, by name and parameters (send-queue.ts). The function
 * that drains the queue (functions/email/send-notices.ts) reads the notice's stored truth again and the
 * recipients' stored items, renders and sends each email through the exactly-once ledger (deliver.ts).
 *
 * So what a notice says is decided in one place, its definition (`load`, in seminar-notices.ts,
 * series-notices.ts and scheme-notices.ts), which both sides ask: the fan-out, whether the notice is
 * due and to whom; the sender, for each batch, whether it still holds (a seminar cancelled meanwhile gets
 * no reminder) and what each recipient's email says. Nothing the message carries but ids and the notice's
 * parameters is trusted: those parameters name what the notice is about (a start, a URL, a sequence) and
 * `load` checks them against the table.
 */
import type { Registration, Seminar } from '../domain/model.js';
import type { Subscription, SubscriptionTarget } from '../domain/funding.js';
import type { RegistrantNotice } from '../domain/registration-lifecycle.js';
import type { RegistrantMessage, RegistrantEmailOptions } from '../email/registrant-email.js';
import type { SubscriberMessage } from '../email/notify-subscribers.js';

/** A notice to a seminar's registrants, as its stored truth has it now. */
export interface RegistrantsNotice {
  readonly audience: 'registrants';
  readonly seminar: Seminar;
  /** The ledger kind (ledger-kinds.ts): once per registrant and kind. */
  readonly kind: string;
  /** Who receives it: the lifecycle's `receivesNotice`. */
  readonly notice: RegistrantNotice;
  readonly invite?: RegistrantEmailOptions['invite'];
  readonly bulk?: boolean;
  /** The registrant's message, or none (this registrant is left out). */
  build(r: Registration): RegistrantMessage | undefined;
}

/** A notice to the confirmed subscribers of a scheme or series. */
export interface SubscribersNotice {
  readonly audience: 'subscribers';
  readonly target: SubscriptionTarget;
  /** What the delivery log keeps it under: a seminar or deadline id. */
  readonly subject: string;
  readonly kind: string;
  build(s: Subscription): SubscriberMessage | undefined;
}

export type LoadedNotice = RegistrantsNotice | SubscribersNotice;

/** The notice no longer holds (or never did) for the table as it is: nothing is sent, and why. */
export interface Stale {
  readonly stale: string;
}
export const stale = (reason: string): Stale => ({ stale: reason });
export const isStale = (n: LoadedNotice | Stale): n is Stale => 'stale' in n;

/** Parameters that name what a notice is about; plain JSON, checked by `load`. */
export type NoticeParams = Record<string, string | number | boolean | undefined>;

export interface NoticeDefinition<P extends NoticeParams = NoticeParams, L extends LoadedNotice = LoadedNotice> {
  /** Unique; the queue's messages name the notice by it. */
  readonly name: string;
  /** The notice as the table has it now, or why it is not (or no longer) due. */
  load(params: P): Promise<L | Stale>;
}

export function defineNotice<P extends NoticeParams, L extends LoadedNotice>(name: string, load: (params: P) => Promise<L | Stale>): NoticeDefinition<P, L> {
  return { name, load };
}

/** The recipient's id on the queue: a registration id, or a subscription id. */
export const recipientId = (r: Registration | Subscription): string => r.id;
