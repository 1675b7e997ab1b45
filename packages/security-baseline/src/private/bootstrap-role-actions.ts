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
 * The CloudFormation actions that change a stack. The deploy role is denied them on the
 * stacks that StackSets manages, the bootstrap among them, so that a trusted principal
 * cannot change or delete the bootstrap, or another StackSet's stack, with the execution
 * role's permissions.
 */
export const STACK_WRITE_ACTIONS = [
  'cloudformation:CreateChangeSet', 'cloudformation:DeleteChangeSet', 'cloudformation:ExecuteChangeSet',
  'cloudformation:CreateStack', 'cloudformation:UpdateStack', 'cloudformation:DeleteStack',
  'cloudformation:CancelUpdateStack', 'cloudformation:ContinueUpdateRollback', 'cloudformation:RollbackStack',
  'cloudformation:UpdateTerminationProtection', 'cloudformation:SetStackPolicy', 'cloudformation:SignalResource',
  'cloudformation:TagResource', 'cloudformation:UntagResource',
  'cloudformation:CreateStackRefactor', 'cloudformation:ExecuteStackRefactor',
];
