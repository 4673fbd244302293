import type * as events from 'aws-cdk-lib/aws-events';

/** The catalog's patterns use EventBridge's JSON keys; the CDK wants camelCase for `detail-type`. */
export function toEventPattern(pattern: Record<string, unknown>): events.EventPattern {
  const { 'detail-type': detailType, ...rest } = pattern;
  return { ...rest, ...(detailType === undefined ? {} : { detailType }) } as events.EventPattern;
}
