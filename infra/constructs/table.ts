/**
 * The one DynamoDB table, from its definition in shared/store/keys.ts (which the local cloud creates it
 * from too): on demand, point-in-time recovery, deletion protection, retained when the stack goes.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import { tableDefinition } from '../../shared/store/keys.js';

const string = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });

export function createTable(scope: Construct): dynamodb.Table {
  const t = tableDefinition;
  const table = new dynamodb.Table(scope, 'Table', {
    partitionKey: string(t.partitionKey),
    sortKey: string(t.sortKey),
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
    timeToLiveAttribute: t.ttlAttribute,
  });
  for (const index of t.indexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: string(index.pk),
      sortKey: string(index.sk),
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }
  return table;
}
