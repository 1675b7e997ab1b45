/**
 * The Python 3.11 script of the drift detection runbook's `aws:executeScript` step.
 *
 * It starts drift detection on every stack that is in a state CloudFormation can check.
 * Then it polls until each detection ends or the step's time is nearly up. Last, it
 * publishes the drifted stacks, and those it could not check, to the topic. It publishes nothing when
 * every stack matches its template. Nested stacks are checked one by one, because drift
 * detection on a parent stack does not cover its nested stacks.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_DetectStackDrift.html
 */
export const DRIFT_DETECTION_SCRIPT = `import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

# Stack states in which CloudFormation can run drift detection.
CHECKABLE_STATES = [
    'CREATE_COMPLETE', 'UPDATE_COMPLETE', 'UPDATE_ROLLBACK_COMPLETE',
    'UPDATE_ROLLBACK_FAILED', 'IMPORT_COMPLETE', 'IMPORT_ROLLBACK_COMPLETE',
]
# The step times out after 600 seconds; stop polling in time to publish.
DEADLINE_SECONDS = 540
POLL_SECONDS = 10
RETRIES = Config(retries={'mode': 'standard', 'max_attempts': 10})


def handler(events, context):
    cloudformation = boto3.client('cloudformation', config=RETRIES)
    started = time.monotonic()
    pending = {}
    unchecked = []

    pages = cloudformation.get_paginator('list_stacks').paginate(StackStatusFilter=CHECKABLE_STATES)
    for page in pages:
        for stack in page['StackSummaries']:
            name = stack['StackName']
            try:
                response = cloudformation.detect_stack_drift(StackName=stack['StackId'])
                pending[response['StackDriftDetectionId']] = name
            except ClientError as error:
                unchecked.append(f"{name} ({error.response['Error']['Code']})")

    drifted = []
    while pending and time.monotonic() - started < DEADLINE_SECONDS:
        time.sleep(POLL_SECONDS)
        for detection_id, name in list(pending.items()):
            status = cloudformation.describe_stack_drift_detection_status(StackDriftDetectionId=detection_id)
            if status['DetectionStatus'] == 'DETECTION_IN_PROGRESS':
                continue
            del pending[detection_id]
            if status.get('StackDriftStatus') == 'DRIFTED':
                drifted.append(name)
            elif status['DetectionStatus'] == 'DETECTION_FAILED':
                unchecked.append(f"{name} ({status.get('DetectionStatusReason', 'detection failed')})")
    unchecked.extend(f'{name} (detection still running when the step ended)' for name in pending.values())

    drifted.sort()
    unchecked.sort()
    if drifted or unchecked:
        publish(events, drifted, unchecked)
    return {'drifted': drifted, 'unchecked': unchecked}


def publish(events, drifted, unchecked):
    lines = [f"CloudFormation drift detection in account {events['AccountId']}, region {events['Region']}."]
    if drifted:
        lines += ['', 'Stacks that no longer match their templates:'] + [f'- {name}' for name in drifted]
    if unchecked:
        lines += ['', 'Stacks that could not be checked:'] + [f'- {name}' for name in unchecked]
    subject = f"CloudFormation drift in {events['AccountId']} {events['Region']}"
    boto3.client('sns').publish(TopicArn=events['TopicArn'], Subject=subject[:100], Message='\\n'.join(lines))
`;
