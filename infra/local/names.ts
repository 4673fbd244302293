/** The local cloud's account, region and resource names (the stack's resources, named locally). */
export const REGION = 'eu-north-1';
export const ACCOUNT = '000000000000';
export const NAMES = { table: 'seminar-events', bus: 'seminar-events', group: 'seminar-events', configurationSet: 'seminar-events' } as const;

/** A queued function's queue and its dead-letter queue (`queue` in the wiring), as the local cloud names them. */
export const functionQueues = (functionName: string) => ({ queue: `${functionName}-queue`, deadLetter: `${functionName}-dlq` });
export const isDeadLetterQueue = (queueName: string) => queueName.endsWith('-dlq');

/** Set by infra/local/spawn.ts to its own pid: the local cloud (start.ts) stops once that process is gone. */
export const EXIT_WITH_PARENT_ENV = 'LOCAL_EXIT_WITH_PARENT';
