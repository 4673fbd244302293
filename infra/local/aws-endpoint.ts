/**
 * The local cloud's AWS endpoint, where the handlers' SDK clients go (AWS_ENDPOINT_URL_*): EventBridge
 * (JSON 1.1), Scheduler (REST JSON), SQS (JSON 1.0, infra/local/sqs.ts), and SES v2 passed through to the
 * mail server. A SendEmail that names a configuration set yields an `Email Sent` event on the bus, as SES
 * publishes it on AWS (unless SES runs as its own process, which then publishes its events itself).
 */
import { createServer, type Server } from 'node:http';
import { nowMs } from '../../shared/clock.js';
import type { LocalBus } from './bus.js';
import { chaosEffects, type Chaos } from './chaos.js';
import { readBody, send } from './http.js';
import { ACCOUNT, NAMES } from './names.js';
import type { LocalScheduler } from './scheduler.js';
import { isServiceKey, SERVICE_KEY_HEADER } from './service-key.js';
import { forward, isSendEmail, sendEmailRefusal, sentEventEntry, SES_EVENT_DELAY_MS } from './ses.js';
import { serveSqs, type LocalSqs } from './sqs.js';

export interface AwsEndpointOptions {
  bus: LocalBus;
  scheduler: LocalScheduler;
  chaos: Chaos;
  /** Where SES v2 requests go. */
  sesBase: string;
  /** SES runs as its own process and publishes its `Email Sent` events itself. */
  externalSes: boolean;
  /** When each accepted SendEmail arrived (epoch ms): the send rate as SES sees it. */
  sesAccepted: number[];
  /** The key that marks a request as an AWS service's (infra/local/service-key.ts): only such requests put `aws.*` sources. */
  serviceKey: string;
  /** SQS (JSON 1.0, `X-Amz-Target: AmazonSQS.*`; infra/local/sqs.ts), when the cloud has it. */
  sqs?: LocalSqs;
}

export function createAwsEndpoint(o: AwsEndpointOptions): Server {
  const { bus, scheduler, chaos } = o;
  return createServer(async (req, res) => {
    const arrived = Date.now();
    try {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://localhost');
      const target = String(req.headers['x-amz-target'] ?? '');
      if (target.startsWith('AmazonSQS.') && o.sqs) return await serveSqs(o.sqs, req, res, body);
      if (target.startsWith('AWSEvents.')) {
        const awsService = isServiceKey(req.headers[SERVICE_KEY_HEADER], o.serviceKey);
        const out = bus.handleRequest(target, body.length ? JSON.parse(body.toString('utf8')) : {}, { awsService });
        return send(res, out.status, out.body, { 'content-type': 'application/x-amz-json-1.1' });
      }
      if (url.pathname.startsWith('/schedules')) {
        const out = scheduler.handleRequest(req.method ?? 'GET', url.pathname, url.searchParams, body.length ? JSON.parse(body.toString('utf8')) : {});
        const errType = (out.body as { __type?: string }).__type;
        return send(res, out.status, out.body, errType ? { 'x-amzn-errortype': errType } : {});
      }
      if (url.pathname.startsWith('/v2/email')) {
        const sending = isSendEmail(req.method ?? '', url.pathname);
        if (chaos.sesFailureRate > 0 && sending && Math.random() < chaos.sesFailureRate) {
          chaosEffects.sesFailures++;
          return send(res, 500, { message: 'chaos: injected SES failure' }, { 'x-amzn-errortype': 'InternalFailure' });
        }
        const out = sendEmailRefusal(req.method ?? 'GET', url.pathname, body) ?? (await forward(o.sesBase, req.method ?? 'GET', `${url.pathname}${url.search}`, req.headers, body));
        if (out.status === 200 && sending && o.sesAccepted.length < 1_000_000) o.sesAccepted.push(arrived);
        if (!o.externalSes && out.status === 200 && sending) {
          const entry = sentEventEntry(body, out.body, NAMES.bus, ACCOUNT, new Date(nowMs()));
          if (entry) bus.putServiceEventsAfter([entry as Record<string, unknown>], SES_EVENT_DELAY_MS);
        }
        res.writeHead(out.status, out.headers);
        return res.end(out.body);
      }
      send(res, 404, { __type: 'UnknownOperationException', message: `No local service at ${url.pathname}` });
    } catch (err) {
      send(res, 500, { __type: 'InternalFailure', message: (err as Error).message });
    }
  });
}
