/**
 * EventBridge event-pattern matcher tests. Patterns and events are taken (or lightly
 * adapted) from the AWS EventBridge documentation: "Creating event patterns",
 * "Content filtering in event patterns" and "Comparison operators".
 */
import { describe, expect, it } from 'vitest';
import { matchesPattern, PatternError, validatePattern } from '../../infra/local/pattern.js';

type Detail = Record<string, unknown>;

/** The EC2 state-change event used throughout the AWS docs, with `detail` overridable. */
function ec2Event(detail: Detail = {}, overrides: Record<string, unknown> = {}) {
  return {
    version: '0',
    id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '111122223333',
    time: '2017-12-22T18:43:48Z',
    region: 'us-west-1',
    resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
    detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated', ...detail },
    ...overrides,
  };
}

/** Validates the pattern (as a rule would be on creation) and then matches it. */
function matches(pattern: unknown, event: unknown): boolean {
  validatePattern(pattern);
  return matchesPattern(pattern, event);
}

/** Matches a pattern that applies to `detail` against an event with the given detail. */
function matchesDetail(detailPattern: Detail, detail: Detail): boolean {
  return matches({ detail: detailPattern }, ec2Event(detail));
}

describe('exact values, AND / OR', () => {
  const terminated = {
    source: ['aws.ec2'],
    'detail-type': ['EC2 Instance State-change Notification'],
    detail: { state: ['terminated'] },
  };

  it('matches the EC2 instance-termination example', () => {
    expect(matches(terminated, ec2Event())).toBe(true);
  });

  it('does not match when a nested value differs', () => {
    expect(matches(terminated, ec2Event({ state: 'running' }))).toBe(false);
  });

  it('requires every field in the pattern to match (AND)', () => {
    expect(matches(terminated, ec2Event({}, { source: 'aws.fargate' }))).toBe(false);
    expect(matches({ Location: ['New York'], Day: ['Monday'] }, { Location: 'New York', Day: 'Monday' })).toBe(true);
    expect(matches({ Location: ['New York'], Day: ['Monday'] }, { Location: 'New York', Day: 'Tuesday' })).toBe(false);
  });

  it('treats multiple values in one array as OR', () => {
    const pattern = { source: ['aws.ec2', 'aws.fargate'] };
    expect(matches(pattern, ec2Event())).toBe(true);
    expect(matches(pattern, ec2Event({}, { source: 'aws.fargate' }))).toBe(true);
    expect(matches(pattern, ec2Event({}, { source: 'aws.s3' }))).toBe(false);
  });

  it('does not match when a pattern field is missing from the event', () => {
    expect(matchesDetail({ 'x-limit': [100] }, {})).toBe(false);
  });

  it('ignores event fields the pattern does not mention', () => {
    expect(matches({ region: ['us-west-1'] }, ec2Event({ extra: { deep: [1, 2, 3] } }))).toBe(true);
  });

  it('is case sensitive for plain strings', () => {
    expect(matches({ source: ['AWS.EC2'] }, ec2Event())).toBe(false);
  });

  it('matches numbers by value (Macie risk-score example)', () => {
    const pattern = {
      source: ['aws.macie'],
      'detail-type': ['Macie Alert'],
      detail: { 'risk-score': [80], trigger: { risk: [8] } },
    };
    const event = {
      'detail-type': 'Macie Alert',
      source: 'aws.macie',
      detail: { 'risk-score': 80, tags: ['Custom_Alert', 'Insider'], trigger: { 'alert-type': 'basic', risk: 8 } },
    };
    expect(matches(pattern, event)).toBe(true);
    expect(matches(pattern, { ...event, detail: { ...event.detail, 'risk-score': 81 } })).toBe(false);
  });

  it('does not match a number pattern against a numeric string, or vice versa', () => {
    expect(matchesDetail({ count: [80] }, { count: '80' })).toBe(false);
    expect(matchesDetail({ count: ['80'] }, { count: 80 })).toBe(false);
  });

  it('matches booleans exactly', () => {
    expect(matchesDetail({ enabled: [true] }, { enabled: true })).toBe(true);
    expect(matchesDetail({ enabled: [true] }, { enabled: false })).toBe(false);
    expect(matchesDetail({ enabled: [true] }, { enabled: 'true' })).toBe(false);
  });
});

describe('null values and empty strings', () => {
  const autoscaling = {
    version: '0',
    'detail-type': 'EC2 Instance Launch Successful',
    source: 'aws.autoscaling',
    resources: [],
    detail: { eventVersion: '', responseElements: null },
  };

  it('matches a null value with [null]', () => {
    expect(matches({ detail: { responseElements: [null] } }, autoscaling)).toBe(true);
  });

  it('matches an empty string with [""]', () => {
    expect(matches({ detail: { eventVersion: [''] } }, autoscaling)).toBe(true);
  });

  it('does not treat null and the empty string as interchangeable', () => {
    expect(matches({ detail: { eventVersion: [null] } }, autoscaling)).toBe(false);
    expect(matches({ detail: { responseElements: [''] } }, autoscaling)).toBe(false);
  });

  it('does not match null against a missing field', () => {
    expect(matches({ detail: { missing: [null] } }, autoscaling)).toBe(false);
  });
});

describe('arrays in events', () => {
  const pattern = {
    resources: [
      'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
      'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
    ],
  };

  it('matches when the pattern array and the event array intersect', () => {
    const event = {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    };
    expect(matches(pattern, event)).toBe(true);
  });

  it('does not match when the arrays do not intersect', () => {
    expect(matches(pattern, { resources: ['arn:aws:ec2:us-east-1:999999999999:instance/i-b188560f'] })).toBe(false);
    expect(matches(pattern, { resources: [] })).toBe(false);
  });

  it('applies nested patterns to any object in an event array, within a single element', () => {
    const event = {
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    };
    expect(matches({ employees: { firstName: ['Anna'] } }, event)).toBe(true);
    expect(matches({ employees: { firstName: ['Anna'], lastName: ['Smith'] } }, event)).toBe(true);
    expect(matches({ employees: { firstName: ['Anna'], lastName: ['Jones'] } }, event)).toBe(false);
  });
});

describe('nested objects', () => {
  it('requires the event field to be an object when the pattern field is an object', () => {
    const pattern = { detail: { state: ['terminated'] } };
    expect(matches(pattern, ec2Event())).toBe(true);
    expect(matches(pattern, { ...ec2Event(), detail: 'terminated' })).toBe(false);
    expect(matches(pattern, { ...ec2Event(), detail: { state: { name: 'terminated' } } })).toBe(false);
  });

  it('matches several levels deep', () => {
    const pattern = { detail: { trigger: { 'alert-type': ['basic'] } } };
    expect(matchesDetail(pattern.detail, { trigger: { 'alert-type': 'basic' } })).toBe(true);
    expect(matchesDetail(pattern.detail, { trigger: { 'alert-type': 'advanced' } })).toBe(false);
  });
});

describe('prefix', () => {
  it('matches string values by prefix (time example)', () => {
    const pattern = { time: [{ prefix: '2017-10-02' }] };
    expect(matches(pattern, ec2Event({}, { time: '2017-10-02T18:43:48Z' }))).toBe(true);
    expect(matches(pattern, ec2Event({}, { time: '2017-10-03T18:43:48Z' }))).toBe(false);
  });

  it('only applies to strings', () => {
    expect(matchesDetail({ code: [{ prefix: '12' }] }, { code: 123 })).toBe(false);
  });

  it('supports equals-ignore-case prefixes', () => {
    const pattern = { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] };
    expect(matchesDetail(pattern, { service: 'EventBridge' })).toBe(true);
    expect(matchesDetail(pattern, { service: 'EVENTBRIDGE' })).toBe(true);
    expect(matchesDetail(pattern, { service: 'eventbus' })).toBe(true);
    expect(matchesDetail(pattern, { service: 'Amazon EventBridge' })).toBe(false);
  });
});

describe('suffix', () => {
  it('matches string values by suffix (FileName example)', () => {
    const pattern = { FileName: [{ suffix: '.png' }] };
    expect(matchesDetail(pattern, { FileName: 'image.png' })).toBe(true);
    expect(matchesDetail(pattern, { FileName: 'image.jpg' })).toBe(false);
    expect(matchesDetail(pattern, { FileName: 'image.PNG' })).toBe(false);
  });

  it('supports equals-ignore-case suffixes', () => {
    const pattern = { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] };
    expect(matchesDetail(pattern, { FileName: 'image.PNG' })).toBe(true);
    expect(matchesDetail(pattern, { FileName: 'image.Png' })).toBe(true);
    expect(matchesDetail(pattern, { FileName: 'image.png.gz' })).toBe(false);
  });
});

describe('anything-but', () => {
  it('excludes a single string', () => {
    const pattern = { state: [{ 'anything-but': 'initializing' }] };
    expect(matchesDetail(pattern, { state: 'running' })).toBe(true);
    expect(matchesDetail(pattern, { state: 'initializing' })).toBe(false);
  });

  it('excludes a single number', () => {
    const pattern = { 'x-limit': [{ 'anything-but': 123 }] };
    expect(matchesDetail(pattern, { 'x-limit': 124 })).toBe(true);
    expect(matchesDetail(pattern, { 'x-limit': 123 })).toBe(false);
  });

  it('excludes a list of strings', () => {
    const pattern = { state: [{ 'anything-but': ['stopped', 'overloaded'] }] };
    expect(matchesDetail(pattern, { state: 'running' })).toBe(true);
    expect(matchesDetail(pattern, { state: 'stopped' })).toBe(false);
    expect(matchesDetail(pattern, { state: 'overloaded' })).toBe(false);
  });

  it('excludes a list of numbers', () => {
    const pattern = { 'x-limit': [{ 'anything-but': [100, 200, 300] }] };
    expect(matchesDetail(pattern, { 'x-limit': 301.8 })).toBe(true);
    expect(matchesDetail(pattern, { 'x-limit': 200 })).toBe(false);
  });

  it('requires the field to be present', () => {
    expect(matchesDetail({ color: [{ 'anything-but': 'red' }] }, {})).toBe(false);
  });

  it('matches an event array when any element is not excluded', () => {
    const pattern = { state: [{ 'anything-but': 'initializing' }] };
    expect(matchesDetail(pattern, { state: ['initializing', 'running'] })).toBe(true);
    expect(matchesDetail(pattern, { state: ['initializing'] })).toBe(false);
  });

  it('excludes a prefix', () => {
    const pattern = { state: [{ 'anything-but': { prefix: 'init' } }] };
    expect(matchesDetail(pattern, { state: 'running' })).toBe(true);
    expect(matchesDetail(pattern, { state: 'initializing' })).toBe(false);
  });

  it('excludes a suffix', () => {
    const pattern = { FileName: [{ 'anything-but': { suffix: '.png' } }] };
    expect(matchesDetail(pattern, { FileName: 'notes.txt' })).toBe(true);
    expect(matchesDetail(pattern, { FileName: 'image.png' })).toBe(false);
  });

  it('excludes a wildcard', () => {
    const pattern = { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] };
    expect(matchesDetail(pattern, { FilePath: '/usr/bin/env' })).toBe(true);
    expect(matchesDetail(pattern, { FilePath: '/usr/lib/libc.so' })).toBe(false);
  });

  it('excludes values ignoring case (single value)', () => {
    const pattern = { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] };
    expect(matchesDetail(pattern, { state: 'running' })).toBe(true);
    expect(matchesDetail(pattern, { state: 'INITIALIZING' })).toBe(false);
  });

  it('excludes a list of values ignoring case', () => {
    const pattern = { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OVERLOADED'] } }] };
    expect(matchesDetail(pattern, { state: 'running' })).toBe(true);
    expect(matchesDetail(pattern, { state: 'stopped' })).toBe(false);
    expect(matchesDetail(pattern, { state: 'Overloaded' })).toBe(false);
  });
});

describe('numeric', () => {
  it('matches a range [">", 0, "<=", 5]', () => {
    const pattern = { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] };
    expect(matchesDetail(pattern, { 'c-count': 5 })).toBe(true);
    expect(matchesDetail(pattern, { 'c-count': 0.5 })).toBe(true);
    expect(matchesDetail(pattern, { 'c-count': 0 })).toBe(false);
    expect(matchesDetail(pattern, { 'c-count': 5.01 })).toBe(false);
  });

  it('matches a single bound ["<", 10] and [">=", 10]', () => {
    expect(matchesDetail({ 'd-count': [{ numeric: ['<', 10] }] }, { 'd-count': 9 })).toBe(true);
    expect(matchesDetail({ 'd-count': [{ numeric: ['<', 10] }] }, { 'd-count': 10 })).toBe(false);
    expect(matchesDetail({ 'd-count': [{ numeric: ['>=', 10] }] }, { 'd-count': 10 })).toBe(true);
  });

  it('matches equality ["=", 3.018e2]', () => {
    const pattern = { 'x-limit': [{ numeric: ['=', 3.018e2] }] };
    expect(matchesDetail(pattern, { 'x-limit': 301.8 })).toBe(true);
    expect(matchesDetail(pattern, { 'x-limit': 301.9 })).toBe(false);
  });

  it('only matches JSON numbers, not numeric strings', () => {
    const pattern = { 'c-count': [{ numeric: ['>', 0] }] };
    expect(matchesDetail(pattern, { 'c-count': '5' })).toBe(false);
    expect(matchesDetail(pattern, { 'c-count': true })).toBe(false);
  });

  it('matches the "Price" range example from the operator table', () => {
    const pattern = { Price: [{ numeric: ['>', 10, '<=', 20] }] };
    expect(matches(pattern, { Price: 20 })).toBe(true);
    expect(matches(pattern, { Price: 10 })).toBe(false);
  });
});

describe('exists', () => {
  it('exists: true matches a present leaf field (including null)', () => {
    const pattern = { state: [{ exists: true }] };
    expect(matchesDetail(pattern, { state: 'pending' })).toBe(true);
    expect(matchesDetail(pattern, { state: null })).toBe(true);
  });

  it('exists: true does not match a missing field', () => {
    const event = ec2Event();
    delete (event.detail as Detail).state;
    expect(matches({ detail: { state: [{ exists: true }] } }, event)).toBe(false);
  });

  it('exists: false matches a missing field and not a present one', () => {
    expect(matchesDetail({ 'c-count': [{ exists: false }] }, {})).toBe(true);
    expect(matchesDetail({ 'c-count': [{ exists: false }] }, { 'c-count': 3 })).toBe(false);
  });

  it('only applies to leaf nodes: an object-valued field does not "exist"', () => {
    const detail = { state: ['initializing', 'running'], 'c-count': { c1: 100 } };
    expect(matchesDetail({ 'c-count': [{ exists: false }] }, detail)).toBe(true);
    expect(matchesDetail({ 'c-count': [{ exists: true }] }, detail)).toBe(false);
  });

  it('exists: false matches when the parent object is absent', () => {
    expect(matches({ detail: { 'c-count': [{ exists: false }] } }, { source: 'aws.ec2' })).toBe(true);
    expect(matches({ detail: { 'c-count': [{ exists: true }] } }, { source: 'aws.ec2' })).toBe(false);
  });

  it('combines with other fields (AND)', () => {
    const pattern = { source: ['aws.ec2'], detail: { 'c-count': [{ exists: false }] } };
    expect(matches(pattern, ec2Event())).toBe(true);
    expect(matches(pattern, ec2Event({}, { source: 'aws.s3' }))).toBe(false);
  });
});

describe('equals-ignore-case', () => {
  it('matches strings regardless of case', () => {
    const pattern = { Name: [{ 'equals-ignore-case': 'alice' }] };
    expect(matches(pattern, { Name: 'Alice' })).toBe(true);
    expect(matches(pattern, { Name: 'ALICE' })).toBe(true);
    expect(matches(pattern, { Name: 'Alicia' })).toBe(false);
  });

  it('works on the detail-type field', () => {
    const pattern = { 'detail-type': [{ 'equals-ignore-case': 'ec2 instance state-change notification' }] };
    expect(matches(pattern, ec2Event())).toBe(true);
  });
});

describe('wildcard', () => {
  it('matches "*" against any run of characters', () => {
    const pattern = { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] };
    expect(matches(pattern, { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' })).toBe(true);
    expect(matches(pattern, { EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/default' })).toBe(false);
  });

  it('matches file paths like "dir/*.png"', () => {
    const pattern = { FilePath: [{ wildcard: 'dir/*.png' }] };
    expect(matchesDetail(pattern, { FilePath: 'dir/image.png' })).toBe(true);
    expect(matchesDetail(pattern, { FilePath: 'dir/.png' })).toBe(true);
    expect(matchesDetail(pattern, { FilePath: 'dir/image.jpg' })).toBe(false);
    expect(matchesDetail(pattern, { FilePath: 'other/image.png' })).toBe(false);
  });

  it('"*" alone matches any string but not other types', () => {
    const pattern = { v: [{ wildcard: '*' }] };
    expect(matches(pattern, { v: '' })).toBe(true);
    expect(matches(pattern, { v: 'anything' })).toBe(true);
    expect(matches(pattern, { v: 42 })).toBe(false);
  });

  it('treats an escaped \\* as a literal asterisk', () => {
    const pattern = { v: [{ wildcard: 'a\\*b' }] };
    expect(matches(pattern, { v: 'a*b' })).toBe(true);
    expect(matches(pattern, { v: 'axb' })).toBe(false);
  });

  it('treats an escaped \\\\ as a literal backslash', () => {
    const pattern = { v: [{ wildcard: 'C:\\\\*' }] };
    expect(matches(pattern, { v: 'C:\\Windows' })).toBe(true);
    expect(matches(pattern, { v: 'C:/Windows' })).toBe(false);
  });

  it('handles overlapping segments correctly', () => {
    const pattern = { v: [{ wildcard: '*ab*ab' }] };
    expect(matches(pattern, { v: 'abab' })).toBe(true);
    expect(matches(pattern, { v: 'xabyabzab' })).toBe(true);
    expect(matches(pattern, { v: 'aba' })).toBe(false);
  });
});

describe('cidr', () => {
  it('matches IPv4 addresses inside the block', () => {
    const pattern = { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] };
    expect(matchesDetail(pattern, { sourceIPAddress: '10.0.0.0' })).toBe(true);
    expect(matchesDetail(pattern, { sourceIPAddress: '10.0.0.255' })).toBe(true);
    expect(matchesDetail(pattern, { sourceIPAddress: '10.0.1.1' })).toBe(false);
  });

  it('does not match non-IP values', () => {
    const pattern = { sourceIPAddress: [{ cidr: '10.0.0.0/8' }] };
    expect(matchesDetail(pattern, { sourceIPAddress: 'not-an-ip' })).toBe(false);
    expect(matchesDetail(pattern, { sourceIPAddress: 10 })).toBe(false);
  });

  it('matches IPv6 addresses inside the block', () => {
    const pattern = { sourceIPAddress: [{ cidr: '2001:db8::/32' }] };
    expect(matchesDetail(pattern, { sourceIPAddress: '2001:db8:1::5' })).toBe(true);
    expect(matchesDetail(pattern, { sourceIPAddress: '2001:0DB8:ffff:ffff:ffff:ffff:ffff:ffff' })).toBe(true);
    expect(matchesDetail(pattern, { sourceIPAddress: '2001:db9::1' })).toBe(false);
    expect(matchesDetail(pattern, { sourceIPAddress: '10.0.0.1' })).toBe(false);
  });
});

describe('$or', () => {
  it('matches at the top level ("source" AND ("metricName" OR "namespace"))', () => {
    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    };
    expect(matches(pattern, { source: 'aws.cloudwatch', metricName: 'ReadLatency' })).toBe(true);
    expect(matches(pattern, { source: 'aws.cloudwatch', namespace: 'AWS/ES' })).toBe(true);
    expect(matches(pattern, { source: 'aws.cloudwatch', metricName: 'DiskIO', namespace: 'AWS/S3' })).toBe(false);
    expect(matches(pattern, { source: 'aws.ec2', metricName: 'ReadLatency' })).toBe(false);
  });

  it('matches nested inside detail (numeric branches)', () => {
    const pattern = {
      $or: [
        { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
        { 'd-count': [{ numeric: ['<', 10] }] },
        { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
      ],
    };
    expect(matchesDetail(pattern, { 'c-count': 3 })).toBe(true);
    expect(matchesDetail(pattern, { 'd-count': 2 })).toBe(true);
    expect(matchesDetail(pattern, { 'x-limit': 301.8 })).toBe(true);
    expect(matchesDetail(pattern, { 'c-count': 30, 'd-count': 20, 'x-limit': 1 })).toBe(false);
  });

  it('supports AND inside a branch and nested $or', () => {
    const pattern = {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization'] },
        {
          metricType: ['MetricType'],
          namespace: ['AWS/EC2'],
          $or: [{ metricId: [1234] }, { spaceId: [1000] }],
        },
        { scope: ['Service'] },
      ],
    };
    const base = { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2' };
    expect(matches(pattern, { ...base, spaceId: 1000 })).toBe(true);
    expect(matches(pattern, { ...base, metricId: 1 })).toBe(false);
    expect(matches(pattern, { source: 'aws.cloudwatch', namespace: 'AWS/EC2', metricId: 1234 })).toBe(false);
    expect(matches(pattern, { source: 'aws.cloudwatch', scope: 'Service' })).toBe(true);
  });

  it('supports parallel $or at different levels', () => {
    const pattern = {
      $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
      detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
    };
    expect(matches(pattern, { namespace: 'AWS/EC2', detail: { 'detail-type': 'CloudWatch Alarm State Change' } })).toBe(true);
    expect(matches(pattern, { namespace: 'AWS/EC2', detail: { source: 'aws.ec2' } })).toBe(false);
  });
});

describe('combined content filters', () => {
  const pattern = {
    time: [{ prefix: '2017-10-02' }],
    detail: {
      state: [{ 'anything-but': 'initializing' }],
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ 'anything-but': [100, 200, 300] }],
      'source-ip': [{ cidr: '10.0.0.0/8' }],
    },
  };
  const detail = { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, 'source-ip': '10.0.0.33', state: 'running' };

  it('matches the documented complex example event', () => {
    expect(matches(pattern, ec2Event(detail, { time: '2017-10-02T16:24:49Z' }))).toBe(true);
  });

  it('fails when any single condition fails', () => {
    const time = { time: '2017-10-02T16:24:49Z' };
    expect(matches(pattern, ec2Event({ ...detail, state: 'initializing' }, time))).toBe(false);
    expect(matches(pattern, ec2Event({ ...detail, 'x-limit': 200 }, time))).toBe(false);
    expect(matches(pattern, ec2Event({ ...detail, 'source-ip': '192.168.0.1' }, time))).toBe(false);
    expect(matches(pattern, ec2Event(detail, { time: '2017-10-03T00:00:00Z' }))).toBe(false);
  });
});

describe('validatePattern', () => {
  it('accepts the documented patterns', () => {
    const valid: unknown[] = [
      { source: ['aws.ec2'], detail: { state: ['terminated'] } },
      { detail: { responseElements: [null], eventVersion: [''] } },
      { time: [{ prefix: '2017-10-02' }] },
      { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] },
      { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] },
      { state: [{ 'anything-but': ['stopped', 'overloaded'] }] },
      { 'x-limit': [{ 'anything-but': [100, 200, 300] }] },
      { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] },
      { state: [{ 'anything-but': { 'equals-ignore-case': ['a', 'b'] } }] },
      { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] },
      { ip: [{ cidr: '10.0.0.0/24' }, { cidr: '2001:db8::/32' }] },
      { 'c-count': [{ exists: false }] },
      { v: [{ wildcard: 'a\\*b*c\\\\' }] },
      { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPU'] }, { namespace: ['AWS/EC2'] }] },
    ];
    for (const pattern of valid) expect(() => validatePattern(pattern)).not.toThrow();
  });

  it('throws PatternError, an Error subclass', () => {
    try {
      validatePattern({ source: 'aws.ec2' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(PatternError);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).name).toBe('PatternError');
    }
  });

  it.each<[string, unknown]>([
    ['a non-object pattern', ['aws.ec2']],
    ['a null pattern', null],
    ['an empty pattern', {}],
    ['an empty nested object', { detail: {} }],
    ['a scalar leaf value', { source: 'aws.ec2' }],
    ['a null leaf value', { source: null }],
    ['an empty value array', { source: [] }],
    ['a nested array as a value', { source: [['aws.ec2']] }],
  ])('rejects %s', (_name, pattern) => {
    expect(() => validatePattern(pattern)).toThrow(PatternError);
  });

  it.each<[string, unknown]>([
    ['an unknown operator', { v: [{ contains: 'x' }] }],
    ['an empty matcher object', { v: [{}] }],
    ['two operators in one matcher', { v: [{ prefix: 'a', suffix: 'b' }] }],
    ['a non-string prefix', { v: [{ prefix: 1 }] }],
    ['an unsupported nested prefix operator', { v: [{ prefix: { wildcard: 'a*' } }] }],
    ['a non-string equals-ignore-case', { v: [{ 'equals-ignore-case': ['a'] }] }],
    ['a non-boolean exists', { v: [{ exists: 'true' }] }],
    ['a malformed cidr', { v: [{ cidr: '10.0.0.0/33' }] }],
    ['a cidr without a prefix length', { v: [{ cidr: '10.0.0.1' }] }],
    ['a non-IP cidr', { v: [{ cidr: 'example.com/8' }] }],
  ])('rejects %s', (_name, pattern) => {
    expect(() => validatePattern(pattern)).toThrow(PatternError);
  });

  it.each<[string, unknown]>([
    ['a non-array', { numeric: '>5' }],
    ['an unknown operator', { numeric: ['!=', 5] }],
    ['a string operand', { numeric: ['=', '5'] }],
    ['a missing operand', { numeric: ['>'] }],
    ['an upper bound before the lower bound', { numeric: ['<', 10, '>', 0] }],
    ['a range on "="', { numeric: ['=', 1, '<', 5] }],
    ['two lower bounds', { numeric: ['>', 0, '>=', 5] }],
    ['an empty range', { numeric: ['>', 5, '<', 5] }],
    ['too many elements', { numeric: ['>', 0, '<', 5, '<', 6] }],
    ['an operand out of range', { numeric: ['<', 1e10] }],
  ])('rejects numeric with %s', (_name, matcher) => {
    expect(() => validatePattern({ v: [matcher] })).toThrow(PatternError);
  });

  it.each<[string, unknown]>([
    ['a mixed list', ['a', 1]],
    ['an empty list', []],
    ['a boolean', true],
    ['null', null],
    ['an empty prefix', { prefix: '' }],
    ['a prefix list', { prefix: ['a', 'b'] }],
    ['an unsupported operator', { numeric: ['>', 1] }],
    ['two operators', { prefix: 'a', suffix: 'b' }],
    ['a numeric equals-ignore-case', { 'equals-ignore-case': [1] }],
    ['an invalid wildcard', { wildcard: 'a**' }],
  ])('rejects anything-but with %s', (_name, arg) => {
    expect(() => validatePattern({ v: [{ 'anything-but': arg }] })).toThrow(PatternError);
  });

  it.each<[string, unknown]>([
    ['a non-array $or', { $or: { a: ['x'] } }],
    ['a single-branch $or', { $or: [{ a: ['x'] }] }],
    ['a non-object $or branch', { $or: [{ a: ['x'] }, ['b']] }],
    ['an empty $or branch', { $or: [{ a: ['x'] }, {}] }],
    ['an operator name as a field inside $or', { $or: [{ numeric: [123] }, { prefix: ['abc'] }] }],
    ['an invalid nested $or', { detail: { $or: [{ a: 'x' }, { b: ['y'] }] } }],
  ])('rejects %s', (_name, pattern) => {
    expect(() => validatePattern(pattern)).toThrow(PatternError);
  });

  it.each<[string, string]>([
    ['consecutive wildcards', 'a**b'],
    ['an escape of an ordinary character', 'a\\b*'],
    ['a trailing backslash', 'abc\\'],
  ])('rejects a wildcard with %s', (_name, wildcard) => {
    expect(() => validatePattern({ v: [{ wildcard }] })).toThrow(PatternError);
  });
});
