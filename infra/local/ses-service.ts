/**
 * `tsx infra/local/ses-service.ts`: the local SES as its own process (infra/local/ses.ts), so that it
 * outlives a crash of the local cloud like the real service does (bench/crash.ts). SES_PORT is its
 * port; SES_EVENTS_ENDPOINT the local cloud's EventBridge endpoint, where its events go (`Email Sent`,
 * and the bounces and complaints posted to its `/_local/feedback`); LOCAL_DATA_DIR the cloud's data
 * directory, whose service key lets SES put `aws.ses` events there. Besides the mailbox, `GET /_local/sends`
 * (SendEmails accepted, events pending) and `GET /_local/recipients?prefix=` (accepted emails per
 * recipient: how bench/scale.ts counts 100,000). Prints `SES READY <url>`.
 */
import { resolve } from 'node:path';
import { ACCOUNT, NAMES, REGION } from './cloud.js';
import { startSesService } from './ses.js';
import { localServiceKey } from './service-key.js';

const svc = await startSesService({
  host: '127.0.0.1',
  port: Number(process.env.SES_PORT ?? 8005),
  eventsEndpoint: process.env.SES_EVENTS_ENDPOINT ?? 'http://localhost:4010',
  busName: NAMES.bus,
  account: ACCOUNT,
  region: REGION,
  // The local cloud's data directory holds the key its AWS endpoint takes SES's events with.
  serviceKey: localServiceKey(resolve(process.env.LOCAL_DATA_DIR ?? '.data')),
});
console.log(`SES READY ${svc.url}`);
const stop = async () => {
  await svc.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
