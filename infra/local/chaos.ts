/** Chaos switches of the local cloud, off by default; tests turn them on through POST /_local/chaos. */
export interface Chaos {
  /** Deliver every event twice. */
  duplicateDeliveries: boolean;
  /** Share (0..1) of SES SendEmail calls answered with a 500 before reaching the mail server. */
  sesFailureRate: number;
  /** Share (0..1) of DynamoDB calls answered with a throttling error. */
  dynamoThrottleRate: number;
  /** Each delivery waits up to this many milliseconds first. */
  deliveryDelayMs: number;
}

export const noChaos = (): Chaos => ({ duplicateDeliveries: false, sesFailureRate: 0, dynamoThrottleRate: 0, deliveryDelayMs: 0 });
