/**
 * The IAM actions of the bootstrap roles that follow from what the CDK CLI calls with them.
 * They are kept apart from the template so that the lists can be compared with a newer CLI
 * in one place.
 */

/**
 * The read actions of the CDK context providers, which run in the CDK CLI with the lookup
 * role. The list comes from reading the providers of aws-cdk 2.1115.1, the toolkit-lib
 * context providers bundled in its lib/index.js. They look up availability zones, AMIs,
 * VPCs with their subnets, route tables and VPN gateways, security groups, endpoint
 * service zones, hosted zones, KMS aliases, and Elastic Load Balancing load balancers and
 * listeners. SSM parameters and the Cloud Control provider have statements of their own.
 */
export const CONTEXT_PROVIDER_ACTIONS = [
  'ec2:DescribeAvailabilityZones', 'ec2:DescribeImages', 'ec2:DescribeRouteTables', 'ec2:DescribeSecurityGroups',
  'ec2:DescribeSubnets', 'ec2:DescribeVpcEndpointServices', 'ec2:DescribeVpcs', 'ec2:DescribeVpnGateways',
  'elasticloadbalancing:DescribeListeners', 'elasticloadbalancing:DescribeLoadBalancers', 'elasticloadbalancing:DescribeTags',
  'kms:ListAliases', 'route53:GetHostedZone', 'route53:ListHostedZonesByName',
];

/**
 * The Cloud Control API calls of the CLI's Cloud Control provider (its actions carry the
 * `cloudformation` prefix), and the read permissions of the resource types that
 * aws-cdk-lib 2.257.0 looks up through it: `PrefixList.fromLookup`, `Repository.fromLookup`,
 * `Role.fromLookup`, `DatabaseCluster.fromLookup` and `DatabaseInstance.fromLookup`. Cloud
 * Control reads a resource with the caller's credentials, so the role needs both.
 *
 * NOTE: the read permissions per type are what each type's read and list handlers are
 * believed to call. No lookup through this role has confirmed them yet. A lookup of
 * another resource type through the Cloud Control provider needs that type's read
 * actions here.
 */
export const CLOUD_CONTROL_ACTIONS = [
  'cloudformation:GetResource', 'cloudformation:ListResources',
  'ec2:DescribeManagedPrefixLists', 'ec2:GetManagedPrefixListEntries',
  'ecr:DescribeRepositories', 'ecr:GetLifecyclePolicy', 'ecr:GetRepositoryPolicy', 'ecr:ListTagsForResource',
  'iam:GetRole', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies', 'iam:ListRoles',
  'rds:DescribeDBClusters', 'rds:DescribeDBInstances',
];

/**
 * The CloudFormation reads that the CLI makes with the lookup role rather than the deploy
 * role: `cdk diff` reads the deployed template of a stack and of its nested stacks, and
 * the CLI tests whether a stack exists.
 */
export const STACK_READ_ACTIONS = ['cloudformation:DescribeStacks', 'cloudformation:GetTemplate', 'cloudformation:ListStackResources'];

/**
 * The CloudFormation actions that change a stack. The deploy and execution roles are denied
 * them on the stacks that StackSets manages, the bootstrap among them, so that a CDK
 * deployment does not change or delete the bootstrap, or another StackSet's stack, by
 * mistake. It is defence in depth: the execution role can create other roles, which are
 * not denied anything.
 */
export const STACK_WRITE_ACTIONS = [
  'cloudformation:CreateChangeSet', 'cloudformation:DeleteChangeSet', 'cloudformation:ExecuteChangeSet',
  'cloudformation:CreateStack', 'cloudformation:UpdateStack', 'cloudformation:DeleteStack',
  'cloudformation:CancelUpdateStack', 'cloudformation:ContinueUpdateRollback', 'cloudformation:RollbackStack',
  'cloudformation:UpdateTerminationProtection', 'cloudformation:SetStackPolicy', 'cloudformation:SignalResource',
  'cloudformation:TagResource', 'cloudformation:UntagResource',
  'cloudformation:CreateStackRefactor', 'cloudformation:ExecuteStackRefactor',
];

/**
 * The S3 actions that write, overwrite, restore or delete objects, or abort uploads. The
 * staging bucket denies them to every principal but the file publishing role. The
 * wildcards cover the ACL, tagging, retention and legal hold of objects and versions.
 */
export const OBJECT_WRITE_ACTIONS = ['s3:PutObject*', 's3:DeleteObject*', 's3:Abort*', 's3:RestoreObject', 's3:Replicate*'];

/**
 * The S3 actions that change a bucket's policy and settings, or delete it. The wildcards
 * cover every `PutBucket` and `DeleteBucket` action, such as the policy, ACL, ownership,
 * public access block, versioning, logging, notifications and tags. The settings whose
 * actions have no `Bucket` in their name are listed one by one. The IAM action of each
 * Delete call on such a setting is the matching Put action. Only the StackSets execution
 * role, which deploys the bootstrap, may call them on the bootstrap's buckets.
 */
export const BUCKET_CONFIGURATION_ACTIONS = [
  's3:PutBucket*', 's3:DeleteBucket*', 's3:PutEncryptionConfiguration', 's3:PutLifecycleConfiguration',
  's3:PutReplicationConfiguration', 's3:PutInventoryConfiguration', 's3:PutAnalyticsConfiguration',
  's3:PutMetricsConfiguration', 's3:PutIntelligentTieringConfiguration', 's3:PutAccelerateConfiguration',
];

/**
 * The ECR actions that push, replicate, import or delete images. The repository denies them
 * to every principal but the image publishing role, so that neither a replication rule nor
 * a pull through cache rule can bring an image into the repository.
 */
export const IMAGE_WRITE_ACTIONS = [
  'ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:BatchDeleteImage',
  'ecr:ReplicateImage', 'ecr:BatchImportUpstreamImage',
];

/** The ECR actions that change the repository's policy and settings, or delete it. Only the StackSets execution role may call them. */
export const REPOSITORY_CONFIGURATION_ACTIONS = [
  'ecr:SetRepositoryPolicy', 'ecr:DeleteRepositoryPolicy', 'ecr:DeleteRepository', 'ecr:PutLifecyclePolicy',
  'ecr:DeleteLifecyclePolicy', 'ecr:PutImageTagMutability', 'ecr:PutImageScanningConfiguration',
];

/** The IAM actions that create, change or delete a role, which the execution role may not call on the bootstrap's roles. */
export const BOOTSTRAP_ROLE_WRITE_ACTIONS = [
  'iam:CreateRole', 'iam:DeleteRole', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:UpdateAssumeRolePolicy',
  'iam:AttachRolePolicy', 'iam:DetachRolePolicy', 'iam:PutRolePolicy', 'iam:DeleteRolePolicy',
  'iam:PutRolePermissionsBoundary', 'iam:DeleteRolePermissionsBoundary', 'iam:TagRole', 'iam:UntagRole',
];

/**
 * The KMS actions that would take the staging key away from the bootstrap. The key policy
 * denies them to every principal but the StackSets execution role, and the execution
 * role's policy denies them too.
 */
export const STAGING_KEY_PROTECTED_ACTIONS = ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:DisableKeyRotation'];

/** The SSM actions that would change or delete the bootstrap version parameter, which the execution role may not call. */
export const VERSION_PARAMETER_WRITE_ACTIONS = ['ssm:PutParameter', 'ssm:DeleteParameter', 'ssm:DeleteParameters', 'ssm:LabelParameterVersion'];
