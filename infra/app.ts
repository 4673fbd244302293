/**
 * The CDK app. cdk.json runs it with `npx tsx infra/app.ts`.
 *
 * cdk-nag (AwsSolutions) runs as a CDK policy-validation plugin: any finding that is not acknowledged
 * (with a reason, next to the construct it concerns, in infra/stack.ts and infra/constructs/) fails
 * `cdk synth` / `cdk deploy` and is listed in cdk.out/policy-validation-report.json.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ensureConsoleBuilt } from './console-build.js';
import { SeminarEventsStack } from './stack.js';

// The stack uploads console/dist: build it first when it is missing or older than its sources.
// (The CDK CLI reads the assembly from cdk.out, so the build's output does not disturb it.)
if (ensureConsoleBuilt((l) => console.error(l)) === 'failed') {
  console.error('The console build failed: fix it (npm run console:build) before cdk synth or deploy.');
  process.exit(1);
}

const app = new App();

new SeminarEventsStack(app, 'SeminarEventsStack', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
});

Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

app.synth();
