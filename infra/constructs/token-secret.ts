/**
 * The HMAC key that signs the links in emails (Secrets Manager), readable (GetSecretValue only) by the
 * functions that declare `secret` in the wiring.
 */
import { Validations, type Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';

export class TokenSecret {
  readonly secret: secretsmanager.Secret;
  /** A fixed name, known before deploy (`<stack>/token-signing-key`). */
  readonly secretName: string;

  constructor(stack: Stack) {
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

  /** May read the key: the one call shared/aws/secret.ts makes (GetSecretValue by the secret's ARN). */
  grantReadTo(role: iam.Role): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [this.secret.secretArn] }));
  }
}
