/**
 * A notice to every registrant of a seminar who receives it (`notifyRegistrants`): their emails, as
 * registrant-email.ts builds each, go through the fan-out engine (fan-out.ts) and the exactly-once
 * ledger (mailer.ts).
 */
import type { Registration, Seminar } from '../domain/model.js';
import { registrationPages } from '../store/registrations.js';
import { fanOut, type FanOutResult } from './fan-out.js';
import { registrantEmail, type RegistrantEmailOptions, type RegistrantMessage } from './registrant-email.js';
import { now } from '../clock.js';
import { optOutLink, receivesNotice, type RegistrantNotice } from '../domain/registration-lifecycle.js';

export interface NotifyOptions extends Pick<RegistrantEmailOptions, 'invite' | 'bulk'> {
  /** Which notice it is: who gets it is the lifecycle's `receivesNotice` (shared/domain/registration-lifecycle.ts). */
  notice: RegistrantNotice;
  /**
   * Epoch ms (real time) after which no new email is started (the Lambda's time is running out): the
   * result then says `complete: false`, and the caller continues in a new invocation.
   */
  stopAt?: number;
}

export type NotifyResult = FanOutResult;

/** `kind`: the notice's ledger kind (ledger-kinds.ts); `build` gives each registrant's message, or none. */
export async function notifyRegistrants(
  seminar: Seminar,
  kind: string,
  build: (r: Registration) => RegistrantMessage | undefined,
  options: NotifyOptions,
): Promise<NotifyResult> {
  const filter = (r: Registration) => receivesNotice(r, options.notice);
  // One opt-out for the whole fan-out: before the start the link cancels; from the start on it only stops the seminar's emails.
  const optOut = optOutLink(seminar, now());
  async function* pages() {
    for await (const page of registrationPages(seminar.id)) {
      yield page.map((r) => {
        const message = filter(r) ? build(r) : undefined;
        return message ? registrantEmail(seminar, r, kind, message, { invite: options.invite, bulk: options.bulk, optOut }) : undefined;
      });
    }
  }
  return fanOut(pages(), { stopAt: options.stopAt, kind, describe: { seminarId: seminar.id, kind } });
}
