import { Duration, aws_events as events, aws_iam as iam, aws_sqs as sqs } from 'aws-cdk-lib';

/** The maximum event age and number of retry attempts that EventBridge allows for a target. */
export const MAX_EVENT_AGE = Duration.hours(24);
export const MAX_RETRY_ATTEMPTS = 185;

/**
 * An EventBridge rule target that puts each event into an Amazon Data Firehose delivery
 * stream, with the longest retry policy EventBridge allows and a dead-letter queue.
 *
 * The target in `aws-events-targets` takes neither a retry policy nor a dead-letter queue,
 * so this one sets both. The caller adds the queue policy that lets the rules send to the
 * dead-letter queue.
 */
export class DeliveryStreamTarget implements events.IRuleTarget {
  constructor(
    private readonly deliveryStreamArn: string,
    private readonly role: iam.IRole,
    private readonly deadLetterQueue: sqs.IQueue,
  ) {}

  public bind(): events.RuleTargetConfig {
    return {
      arn: this.deliveryStreamArn,
      role: this.role,
      deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
      retryPolicy: {
        maximumEventAgeInSeconds: MAX_EVENT_AGE.toSeconds(),
        maximumRetryAttempts: MAX_RETRY_ATTEMPTS,
      },
    };
  }
}
