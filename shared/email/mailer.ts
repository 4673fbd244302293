/**
 * Sends one email exactly once per (subject, kind, recipient): suppression check → ledger claim →
 * SES SendEmail → mark sent. A failed send is marked `failed` and the error is rethrown, so the event
 * is retried by its trigger; the ledger lets the retry send it, and never twice.
 */
import { SendEmailCommand, type MessageHeader } from '@aws-sdk/client-sesv2';
import { sesClient } from '../aws/clients.js';
import { config } from '../config.js';
import { nowMs } from '../clock.js';
import { logger, maskEmail } from '../log.js';
import { claim, markFailed, markSent, recordSuppressed, isSuppressed, MAX_SEND_ATTEMPTS, getEntry } from '../store/ledger.js';

export interface OutgoingEmail {
  /** What the email is about: a seminar id or a deadline id. */
  subject: string;
  /** Which email: `registration-confirmed`, `reminder-1440`, … */
  kind: string;
  to: string;
  content: { subject: string; text: string; html: string };
  attachments?: Array<{ fileName: string; contentType: string; content: string }>;
  /** Bulk notices: List-Unsubscribe (RFC 2369/8058). */
  unsubscribeUrl?: string;
}

export type SendOutcome = 'sent' | 'already-handled' | 'suppressed';

const noBreaks = (s: string) => s.replace(/[\r\n]+/g, ' ').trim();

export async function sendOnce(mail: OutgoingEmail): Promise<SendOutcome> {
  const c = config();
  const to = mail.to.trim().toLowerCase();
  if (await isSuppressed(to)) {
    await recordSuppressed(mail.subject, mail.kind, to, nowMs());
    return 'suppressed';
  }
  if (!(await claim(mail.subject, mail.kind, to, nowMs()))) return 'already-handled';
  const headers: MessageHeader[] = [];
  if (mail.unsubscribeUrl) {
    headers.push({ Name: 'List-Unsubscribe', Value: `<${mail.unsubscribeUrl}>` });
    headers.push({ Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' });
  }
  try {
    const out = await sesClient().send(
      new SendEmailCommand({
        FromEmailAddress: `"${noBreaks(c.senderName).replace(/"/g, '')}" <${c.senderEmail}>`,
        Destination: { ToAddresses: [to] },
        ConfigurationSetName: c.sesConfigurationSet,
        EmailTags: [{ Name: 'kind', Value: mail.kind.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 255) }],
        Content: {
          Simple: {
            Subject: { Data: noBreaks(mail.content.subject), Charset: 'UTF-8' },
            Body: {
              Text: { Data: mail.content.text, Charset: 'UTF-8' },
              Html: { Data: mail.content.html, Charset: 'UTF-8' },
            },
            Headers: headers.length ? headers : undefined,
            Attachments: mail.attachments?.map((a) => ({
              FileName: a.fileName,
              ContentType: a.contentType,
              ContentDisposition: 'ATTACHMENT',
              RawContent: new TextEncoder().encode(a.content),
            })),
          },
        },
      }),
    );
    await markSent(mail.subject, mail.kind, to, out.MessageId ?? 'unknown', nowMs());
    return 'sent';
  } catch (err) {
    const entry = await getEntry(mail.subject, mail.kind, to).catch(() => undefined);
    const final = (entry?.attempts ?? 0) >= MAX_SEND_ATTEMPTS;
    await markFailed(mail.subject, mail.kind, to, (err as Error).message ?? String(err), final);
    logger.warn('Send failed', { kind: mail.kind, to: maskEmail(to), final, error: (err as Error).message });
    throw err;
  }
}
