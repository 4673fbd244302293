/**
 * The send queue's sender (shared/notices/send-queue.ts): each message names a notice and up to 50
 * recipients by id; the notice is read again from the table (once per batch for messages that name the
 * same one), the recipients by key, and each email goes through the exactly-once ledger at the account's
 * send budget. A message not finished (the invocation's time ran out, or some emails failed) is reported
 * as failed and comes back after the visibility timeout; the ledger makes that retry send only what is
 * missing, and after `maxReceiveCount` receives it goes to the dead-letter queue, which has its alarm.
 */
import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { stopAtFor } from '../../shared/aws/on-event.js';
import { lambdaLogKeys, logger, withLogContext } from '../../shared/log.js';
import { loadQueued, sendNotice } from '../../shared/notices/deliver.js';
import { QueuedNotice } from '../../shared/notices/send-queue.js';
import type { LoadedNotice, Stale } from '../../shared/notices/notice.js';

export const handler = async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
  const stopAt = stopAtFor(context);
  const failures: SQSBatchItemFailure[] = [];
  const loads = new Map<string, Promise<LoadedNotice | Stale>>();
  await Promise.all(
    event.Records.map((record) =>
      withLogContext({ ...lambdaLogKeys(context), correlation_id: record.messageId }, async () => {
        try {
          const message = QueuedNotice.parse(JSON.parse(record.body));
          const key = JSON.stringify([message.notice, message.params]);
          let load = loads.get(key);
          if (!load) loads.set(key, (load = loadQueued(message)));
          const result = await sendNotice(await load, message.to, { stopAt });
          if ('stale' in result) logger.info('Queued notice no longer due', { notice: message.notice, reason: result.stale });
          else if (result.complete === false) {
            logger.warn('Queued notice not finished in this invocation; it comes back', { notice: message.notice, ...result });
            failures.push({ itemIdentifier: record.messageId });
          } else logger.info('Queued notice sent', { notice: message.notice, ...result });
        } catch (err) {
          logger.warn('Queued notice failed; it comes back from the queue', { messageId: record.messageId, error: (err as Error)?.message });
          failures.push({ itemIdentifier: record.messageId });
        }
      }),
    ),
  );
  return { batchItemFailures: failures };
};
