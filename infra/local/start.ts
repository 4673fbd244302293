/** `npm start`: boots the local cloud, loads demo data on first start, prints where to look. */
import { defaultOptions, startLocalCloud } from './cloud.js';
import { ensureConsoleBuilt } from '../console-build.js';
import { JavaMissingError } from './dynamo.js';
import { loadDemoData } from './demo.js';
import { EXIT_WITH_PARENT_ENV } from './names.js';

// The SDK warns once per process that releases after January 2027 need Node 22; the README says so
// (Node 20 works today, Lambda runs 22). Keep the local cloud's output readable (it fires when
// the first client is created, after this line).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const opts = defaultOptions();
const quiet = process.env.LOCAL_QUIET === '1';
// The console is built before the cloud starts (when console/dist is missing or older than its sources).
const consoleBuild = process.env.LOCAL_CONSOLE_BUILD === '0' ? 'fresh' : ensureConsoleBuilt(quiet ? () => undefined : (l) => console.log(l));
let cloud: Awaited<ReturnType<typeof startLocalCloud>>;
try {
  cloud = await startLocalCloud({ ...opts, log: quiet ? () => undefined : (l) => console.log(l) });
} catch (err) {
  if (err instanceof JavaMissingError) {
    console.error(`\n${err.message}\n`);
    process.exit(1);
  }
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'EADDRINUSE') {
    console.error(`\nPort in use: ${e.message}. Set API_PORT, AWS_PORT, SES_PORT or DYNAMODB_PORT to other ports.\n`);
    process.exit(1);
  }
  throw err;
}

if (process.env.LOCAL_DEMO !== '0') {
  const demo = await loadDemoData(cloud.urls.api, opts.dataDir);
  if (!quiet && demo.loaded) console.log(`Demo data loaded: ${demo.loaded}`);
}

console.log(`
seminar-events local cloud is running
  API                ${cloud.urls.api}        (GET /health, GET /seminars, GET /openapi.json)
  Console            ${cloud.urls.api}/console/   (sign in as admin@local, password local${consoleBuild === 'no-build-script' || consoleBuild === 'failed' ? '; not built: npm run console:build' : ''})
  Local control      ${cloud.urls.api}/_local/status   (POST /_local/clock {"advanceSeconds": 3600})
  Mailbox (SES v2)   ${cloud.urls.mailbox}        (every sent email; JSON at /store)
  AWS endpoints      ${cloud.urls.aws}        (EventBridge, Scheduler, SES v2 pass-through)
  DynamoDB Local     ${cloud.urls.dynamodb}
  Admin token        npm run -s admin:token
  Data kept in       ${opts.inMemory ? 'memory (LOCAL_IN_MEMORY=1)' : opts.dataDir}
Press Ctrl-C to stop.
READY ${cloud.urls.api}`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  if (!quiet) console.log(`\n${signal}: stopping…`);
  await cloud.stop();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
// Started by a test run or a benchmark (infra/local/spawn.ts): stop when that process is gone, however it
// ended (killed, crashed), so no local cloud is left running on its own.
const parent = Number(process.env[EXIT_WITH_PARENT_ENV]);
if (parent > 0) {
  // An orphan is handed to another parent (init, or a subreaper): its parent id changes.
  setInterval(() => {
    if (process.ppid !== parent) void shutdown('parent gone');
  }, 1000).unref();
}
