/**
 * Runs one function bundle on one event in this (fresh) process and prints its peak memory as JSON.
 * Started by bench/memory.ts with the function's environment pointing at a running local cloud.
 *
 * Plain JavaScript, so that no TypeScript loader adds to the memory it measures.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [bundle, eventFile] = process.argv.slice(2);
const event = JSON.parse(readFileSync(eventFile, 'utf8'));
const m = (await import(pathToFileURL(bundle).href));
global.gc?.();
const atStart = process.memoryUsage();
let heapPeak = atStart.heapUsed;
let rssPeak = atStart.rss;
const sample = () => {
  const u = process.memoryUsage();
  heapPeak = Math.max(heapPeak, u.heapUsed);
  rssPeak = Math.max(rssPeak, u.rss);
};
const timer = setInterval(sample, 5);
const t = performance.now();
const context = { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 900_000, callbackWaitsForEmptyEventLoop: false };
const result = await m.handler(event, context);
const ms = performance.now() - t;
clearInterval(timer);
sample();
const summary = JSON.stringify(result ?? null).slice(0, 200);
process.stdout.write(JSON.stringify({ heapPeak, rssPeak, rssAtStart: atStart.rss, ms, summary }));
process.exit(0);
