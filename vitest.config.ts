/**
 * Three projects, one run (`npm test`), or one at a time (`npm run test:unit`, `test:integration`,
 * `test:slow`):
 * - `unit`: the pure parts, no local cloud, files in parallel: seconds;
 * - `integration`: every route and event on one local cloud (test/support/global-setup.ts boots it);
 *   files one after another, since the clock is shared;
 * - `slow`: the stack synthesized with real bundling, the contention and send-queue runs, the fuzzer,
 *   the browser and the CLI, on the same local cloud as `integration` when both run.
 * The groups run in that order (`sequence.groupOrder`).
 */
import { defineConfig } from 'vitest/config';

/** Test files of the `slow` project. */
const SLOW = [
  'test/infra/**/*.test.ts',
  'test/integration/contention.test.ts',
  'test/integration/send-queue-fanout.test.ts',
  'test/integration/erasure-fanout.test.ts',
  'test/integration/confirm-crash.test.ts',
  'test/integration/cli.test.ts',
  'test/fuzz/**/*.test.ts',
  'test/e2e/**/*.test.ts',
];

const onTheLocalCloud = {
  globalSetup: ['test/support/global-setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 180_000,
  pool: 'forks',
  maxWorkers: 1,
  fileParallelism: false,
} as const;

export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          pool: 'threads',
          testTimeout: 20_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          exclude: SLOW,
          ...onTheLocalCloud,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'slow',
          include: SLOW,
          ...onTheLocalCloud,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
