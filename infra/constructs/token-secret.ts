/**
 * The HMAC key that signs the links in emails (Secrets Manager), readable by the functions that declare
 * `secret` in the wiring, directly or through Parameter Store's reference to it.
 */
import { ArnFormat, Validations, type Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

export class TokenSecret {
  readonly secret: secretsmanager.Secret;
  /** A fixed name, so the Parameter Store reference path (/aws/reference/secretsmanager/<name>) is known. */
  readonly secretName: string;

  constructor(private readonly stack: Stack) {
    this.secretName = `${stack.stackName}/token-signing-key`;
    this.secret = new secretsmanager.Secret(stack, 'TokenSigningSecret', {
      secretName: this.secretName,
      description: 'HMAC key that signs confirm, cancel and unsubscribe links',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The HMAC key signs links already sitting in mailboxes (confirm, cancel, unsubscribe); automatic rotation would break them all. Rotate by hand when the key may be compromised.',
    });
  }

  grantReadTo(fn: lambda.IFunction, role: iam.Role): void {
    this.secret.grantRead(fn);
    // Also readable through Parameter Store's reference to the secret.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ssm:GetParameter'],
        resources: [
          this.stack.formatArn({
            service: 'ssm',
            resource: 'parameter',
            resourceName: `aws/reference/secretsmanager/${this.secretName}`,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        ],
      }),
    );
  }
}
