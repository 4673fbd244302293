/**
 *   SES config set ─▶ default bus ─ rule ─▶ custom bus    (SES can only publish to the default bus)
 *
 * The SES configuration set, whose sending events of the catalog (events/ses.ts) come back on our bus,
 * the sender's domain identity (Easy DKIM) unless it is managed elsewhere, and the grant to send for
 * the functions that declare `ses` in the wiring.
 */
import { CfnOutput, Validations, type Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as ses from 'aws-cdk-lib/aws-ses';
import { catalog, patternFor, Sources } from '../../events/index.js';
import type { Alarms } from './alarms.js';
import type { DeployParameters } from './context.js';
import { toEventPattern } from './event-pattern.js';

/**
 * SES event publishing type for each SES detail-type in the catalog (events/ses.ts). The configuration
 * set publishes exactly the types the catalog knows; add a line here when the catalog gains one.
 */
const SES_EVENT_FOR_DETAIL_TYPE: Record<string, ses.EmailSendingEvent> = {
  'Email Bounced': ses.EmailSendingEvent.BOUNCE,
  'Email Sent': ses.EmailSendingEvent.SEND,
  'Email Complaint Received': ses.EmailSendingEvent.COMPLAINT,
  'Email Rejected': ses.EmailSendingEvent.REJECT,
  'Email Delivery Delayed': ses.EmailSendingEvent.DELIVERY_DELAY,
};

export class Mail {
  readonly configurationSet: ses.ConfigurationSet;
  private readonly sendResources: string[];

  constructor(stack: Stack, bus: events.EventBus, p: DeployParameters, alarms: Alarms) {
    this.configurationSet = new ses.ConfigurationSet(stack, 'MailConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    const sesEvents = Object.values(catalog).filter((e) => e.source === Sources.ses);
    const publishedSesEvents = sesEvents.map((e) => {
      const t = SES_EVENT_FOR_DETAIL_TYPE[e.detailType];
      if (!t) throw new Error(`infra/constructs/mail.ts: map the SES detail-type "${e.detailType}" (events/) to its EmailSendingEvent in SES_EVENT_FOR_DETAIL_TYPE`);
      return t;
    });
    const defaultBus = events.EventBus.fromEventBusName(stack, 'DefaultBus', 'default');
    if (publishedSesEvents.length > 0) {
      // SES can only publish to the account's default bus.
      this.configurationSet.addEventDestination('ToEventBridge', {
        destination: ses.EventDestination.eventBus(defaultBus),
        events: publishedSesEvents,
      });
      const forwardDlq = alarms.deadLetterQueue('SesForwardDlq', 'SES bounce/complaint events that could not be forwarded from the default bus');
      const forward = new events.Rule(stack, 'ForwardSesEvents', {
        eventBus: defaultBus,
        description: 'Forwards SES bounce and complaint events of our configuration set to the seminar bus',
        eventPattern: toEventPattern({
          ...patternFor(...sesEvents),
          detail: { mail: { tags: { 'ses:configuration-set': [this.configurationSet.configurationSetName] } } },
        }),
      });
      // Event-bus targets take no RetryPolicy (EventBridge applies its default: 24 h, 185 attempts); DLQ yes.
      forward.addTarget(new targets.EventBus(bus, { deadLetterQueue: forwardDlq.queue }));
    }
    if (p.createIdentity) {
      const identity = new ses.EmailIdentity(stack, 'SenderIdentity', {
        identity: ses.Identity.domain(p.senderDomain),
        configurationSet: this.configurationSet,
      });
      identity.dkimRecords.forEach((r, i) => {
        new CfnOutput(stack, `DkimRecord${i + 1}`, {
          description: `DNS record ${i + 1}/3 that verifies ${p.senderDomain} (Easy DKIM)`,
          value: `${r.name} CNAME ${r.value}`,
        });
      });
    }
    const identityArn = (name: string) => stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name });
    this.sendResources = [
      identityArn(p.senderDomain),
      identityArn(p.senderEmail),
      stack.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: this.configurationSet.configurationSetName }),
    ];
  }

  /**
   * May send as the sender through the configuration set (SES v2 SendEmail, Simple content: ses:SendEmail
   * only), and read the account's send rate (GetAccount, shared/email/mailer.ts).
   */
  grantSendTo(role: iam.Role): void {
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ses:SendEmail'], resources: this.sendResources }));
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ses:GetAccount'], resources: ['*'] }));
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'ses:GetAccount (the account’s send quota and rate, to pace bulk sending) supports no resource-level permissions; it reads no data.',
    });
  }
}
