import { App, Aspects, CfnResource, Stack, aws_sns as sns } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addNagSuppressions } from '../src/private/nag-suppressions';

function topic(): { app: App; stack: Stack; resource: CfnResource } {
  const app = new App();
  const stack = new Stack(app, 'Stack');
  const resource = new sns.Topic(stack, 'Topic').node.defaultChild as CfnResource;
  return { app, stack, resource };
}

describe('addNagSuppressions', () => {
  test('writes cdk_nag metadata', () => {
    const { resource } = topic();

    addNagSuppressions(resource, [{ id: 'AwsSolutions-SNS2', reason: 'Messages carry no data.' }]);

    expect(resource.getMetadata('cdk_nag')).toEqual({
      rules_to_suppress: [{ id: 'AwsSolutions-SNS2', reason: 'Messages carry no data.' }],
    });
  });

  test('keeps existing suppressions', () => {
    const { resource } = topic();
    resource.addMetadata('cdk_nag', { rules_to_suppress: [{ id: 'AwsSolutions-SNS3', reason: 'Set by someone else.' }] });

    addNagSuppressions(resource, [{ id: 'AwsSolutions-SNS2', reason: 'Messages carry no data.', appliesTo: ['Key::Default'] }]);

    expect(resource.getMetadata('cdk_nag').rules_to_suppress).toEqual([
      { id: 'AwsSolutions-SNS3', reason: 'Set by someone else.' },
      { id: 'AwsSolutions-SNS2', reason: 'Messages carry no data.', applies_to: ['Key::Default'] },
    ]);
  });

  test('replaces a suppression of the same rule', () => {
    const { resource } = topic();
    addNagSuppressions(resource, [{ id: 'AwsSolutions-SNS2', reason: 'First reason given.' }]);

    addNagSuppressions(resource, [{ id: 'AwsSolutions-SNS2', reason: 'Second reason given.' }]);

    expect(resource.getMetadata('cdk_nag').rules_to_suppress).toEqual([{ id: 'AwsSolutions-SNS2', reason: 'Second reason given.' }]);
  });

  test('rejects a short reason', () => {
    const { resource } = topic();

    expect(() => addNagSuppressions(resource, [{ id: 'AwsSolutions-SNS2', reason: 'ok' }]))
      .toThrow(/cdk-nag suppression of AwsSolutions-SNS2 on Stack\/Topic\/Resource needs a reason of at least 10 printable ASCII characters/);
  });

  test('cdk-nag honours the suppression', () => {
    const { app, stack, resource } = topic();
    new sns.Topic(stack, 'Unsuppressed');
    addNagSuppressions(resource, [{ id: 'AwsSolutions-SNS3', reason: 'Only AWS services publish.' }]);
    Aspects.of(app).add(new AwsSolutionsChecks());

    app.synth();

    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('AwsSolutions-SNS3'));
    expect(errors.map((error) => error.id)).toEqual(['/Stack/Unsuppressed/Resource']);
  });
});
