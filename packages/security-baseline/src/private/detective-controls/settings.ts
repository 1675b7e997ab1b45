import { RemovalPolicy, aws_kms as kms, aws_s3 as s3 } from 'aws-cdk-lib';
import type { MacieJobSchedule, OrganizationAutoEnable, PersonalDataBuckets } from '../../detective-controls';

/** A warning for the construct to add, with the last part of its stable ID. */
export interface DetectiveControlsWarning {
  readonly id: string;
  readonly message: string;
}

/** Settings that every service uses. */
export interface CommonSettings {
  readonly organizationWide: boolean;
  readonly organizationRootId?: string;
  readonly removalPolicy: RemovalPolicy;
}

export interface GuardDutySettings {
  readonly s3Protection: boolean;
  readonly malwareProtection: boolean;
  readonly rdsProtection: boolean;
  readonly lambdaProtection: boolean;
  readonly runtimeMonitoring: boolean;
  readonly eksProtection: boolean;
  readonly autoEnableOrganizationMembers: OrganizationAutoEnable;
}

export interface SecurityHubSettings {
  /** True only with `organizationWide`. */
  readonly centralConfiguration: boolean;
  readonly disabledControlIds: string[];
}

export interface InspectorSettings {
  readonly ec2Scanning: boolean;
  readonly ecrScanning: boolean;
}

export interface MacieSettings {
  readonly personalDataBuckets: PersonalDataBuckets[];
  readonly jobSchedule: MacieJobSchedule;
}

export interface AccessAnalyzerSettings {
  readonly accountAnalyzer: boolean;
  readonly unusedAccess: boolean;
  readonly unusedAccessAgeDays: number;
}

export interface AwsConfigSettings {
  readonly deliveryBucket: s3.IBucket;
  readonly deliveryKey?: kms.IKey;
  readonly deliveryPrefix?: string;
  readonly snapshotDeliveryFrequency: string;
  readonly includeGlobalResourceTypes: boolean;
  readonly createServiceLinkedRole: boolean;
}

export interface ConformancePackSettings {
  readonly packName: string;
  /** Exactly one of `templateBody` and `templateS3Uri` is set. */
  readonly templateBody?: string;
  readonly templateS3Uri?: string;
  readonly excludedAccounts: string[];
}

/** The props after validation and defaults. A service whose settings are undefined is off. */
export interface DetectiveControlsSettings extends CommonSettings {
  readonly guardDuty?: GuardDutySettings;
  readonly securityHub?: SecurityHubSettings;
  readonly inspector?: InspectorSettings;
  readonly macie?: MacieSettings;
  readonly accessAnalyzer?: AccessAnalyzerSettings;
  readonly config?: AwsConfigSettings;
  readonly conformancePack?: ConformancePackSettings;
  readonly warnings: DetectiveControlsWarning[];
}
