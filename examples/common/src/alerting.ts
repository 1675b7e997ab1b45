import { aws_sns as sns, aws_sns_subscriptions as subscriptions } from 'aws-cdk-lib';

/**
 * Subscribes a team's mailbox to a topic of alarms or alerts. Every topic of the platform
 * gets a subscription, because a topic without one delivers its alerts to no one.
 */
export function alertByEmail(topic: sns.ITopic, emailAddress: string): void {
  topic.addSubscription(new subscriptions.EmailSubscription(emailAddress));
}
