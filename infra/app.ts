/**
 * The CDK app. cdk.json runs it with `npx tsx infra/app.ts`.
 *
 * cdk-nag (AwsSolutions) runs as a CDK policy-validation plugin: any finding that is not acknowledged
 * (with a reason, next to the construct it concerns, in infra/stack.ts and infra/constructs/) fails
 * `cdk synth` / `cdk deploy` and is listed in cdk.out/policy-validation-report.json.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { SeminarEventsStack } from './stack.js';

const app = new App();

new SeminarEventsStack(app, 'SeminarEventsStack', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

app.synth();
