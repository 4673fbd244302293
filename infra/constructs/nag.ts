/**
 * cdk-nag 3 acknowledgements. Every acknowledgement names one finding and carries the reason in words;
 * v3 has no prefix matching, so a wildcard resource is acknowledged as the exact string cdk-nag reports
 * (`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:…/*]`), computed here the way cdk-nag flattens it.
 */
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Same flattening as cdk-nag's utils/flatten-cfn-reference (not exported by the package). */
export function flattenCfnReference(reference: unknown): string {
  const visit = (node: unknown): string => {
    if (node === undefined) return '';
    if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/}/g, '>');
    if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o['Fn::Join']) {
        const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
        return items.map(visit).join(delimiter);
      }
      if (o['Fn::Sub']) return visit(o['Fn::Sub']);
      if (o['Fn::GetAtt']) {
        const [resource, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
        return `<${visit(resource)}.${visit(attribute)}>`;
      }
      if (o['Fn::ImportValue']) return visit(o['Fn::ImportValue']);
      if (o.Ref) return `<${visit(o.Ref)}>`;
    }
    return JSON.stringify(node);
  };
  return visit(reference);
}

/** Acknowledges `AwsSolutions-IAM5[Resource::…]` for one wildcard resource of a policy under `scope`. */
export function acknowledgeWildcardResource(scope: IConstruct, resourceArn: string, reason: string): void {
  const flat = flattenCfnReference(Stack.of(scope).resolve(resourceArn));
  Validations.of(scope).acknowledge({ id: `AwsSolutions-IAM5[Resource::${flat}]`, reason });
}
