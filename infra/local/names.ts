/** The local cloud's account, region and resource names (the stack's resources, named locally). */
export const REGION = 'eu-north-1';
export const ACCOUNT = '000000000000';
export const NAMES = { table: 'seminar-events', bus: 'seminar-events', group: 'seminar-events', configurationSet: 'seminar-events' } as const;
