import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack, aws_networkfirewall as networkfirewall } from 'aws-cdk-lib';
import { EastWestInspection, FlowProtocol, RoutingDomain, RoutingPolicy, SpokeVpc, TransitHub } from '../src';
import { ignoreRedundantDependsOn, logArchiveStandIn } from './support/integ-fixtures';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
// The zones are therefore named, because default zones need the stack's region.
const stack = new Stack(app, 'EastWestInspectionInteg');
const zones = ['eu-west-2a', 'eu-west-2b', 'eu-west-2c'];
const managementCidr = '10.1.0.0/22';
const businessCidr = '10.2.0.0/22';

// Stands in for the log archive, with the grants the log delivery service needs.
const logBucket = logArchiveStandIn(stack);

const hub = new TransitHub(stack, 'Hub', {
  tierName: 'integ',
  amazonSideAsn: 64602,
  routingPolicy: RoutingPolicy.platformDefaultWithInspection(),
});
const inspection = new EastWestInspection(stack, 'Inspection', {
  hub,
  cidr: '10.0.254.0/25',
  internalCidrs: ['10.0.0.0/12'],
  logBucket,
  allowedFlows: [{
    name: 'management-to-business-ssh',
    protocol: FlowProtocol.TCP,
    sourceCidrs: [managementCidr],
    destinationCidrs: [businessCidr],
    destinationPorts: [22],
  }],
  availabilityZones: zones,
  deleteProtection: false,
});

// The spokes come after the inspection, because their domains' routes point at it.
for (const [id, domain, cidr] of [['Management', RoutingDomain.MANAGEMENT, managementCidr], ['Business', RoutingDomain.BUSINESS_APPLICATION, businessCidr]] as const) {
  new SpokeVpc(stack, id, {
    hub,
    domain,
    vpcName: `integ-${id.toLowerCase()}`,
    cidr,
    flowLogBucket: logBucket,
    availabilityZones: zones,
    sessionManagerEndpoints: false,
  });
}

// aws-cdk-lib gives these functions and the state machine of the wait below a DependsOn
// on their role, which their reference to the role already implies (cfn-lint W3005).
ignoreRedundantDependsOn(stack.node.tryFindChild('Custom::S3AutoDeleteObjectsCustomResourceProvider'), 'AWS::Lambda::Function');

const test = new IntegTest(app, 'EastWestInspectionTest', { testCases: [stack], regions: ['eu-west-2'] });

// The policy evaluates its rules in strict order, the managed threat signatures first.
test.assertions
  .awsApiCall('NetworkFirewall', 'describeFirewallPolicy', { FirewallPolicyArn: inspection.firewallPolicyArn })
  .expect(ExpectedResult.objectLike({
    FirewallPolicy: {
      StatelessDefaultActions: ['aws:forward_to_sfe'],
      StatefulEngineOptions: { RuleOrder: 'STRICT_ORDER' },
      StatefulRuleGroupReferences: Match.arrayWith([
        Match.objectLike({ ResourceArn: Match.stringLikeRegexp('aws-managed:stateful-rulegroup/ThreatSignaturesExploitsStrictOrder$'), Priority: 100 }),
      ]),
    },
  }));

// Network Firewall accepted the flowbit rules: the allowed flow marks its connections, and
// the closing rule drops every packet of a flow without the mark.
const flowRules = inspection.node.findChild('FlowRules') as networkfirewall.CfnRuleGroup;
test.assertions
  .awsApiCall('NetworkFirewall', 'describeRuleGroup', { RuleGroupArn: flowRules.attrRuleGroupArn })
  .expect(ExpectedResult.objectLike({
    RuleGroup: {
      RulesSource: {
        RulesString: Match.stringLikeRegexp(
          'flowbits:set,east_west_allowed;[\\s\\S]*drop ip any any -> any any \\(msg:"[^"]*"; flowbits:isnotset,east_west_allowed;'),
      },
      StatefulRuleOptions: { RuleOrder: 'STRICT_ORDER' },
    },
  }));

// The firewall is ready, unprotected as asked, and encrypted with the customer managed key.
const firewall = test.assertions.awsApiCall('NetworkFirewall', 'describeFirewall', { FirewallArn: inspection.firewallArn });
firewall.expect(ExpectedResult.objectLike({
  Firewall: {
    DeleteProtection: false,
    SubnetChangeProtection: false,
    EncryptionConfiguration: { Type: 'CUSTOMER_KMS', KeyId: inspection.encryptionKey.keyArn },
  },
  FirewallStatus: { Status: 'READY' },
})).waitForAssertions({ totalTimeout: Duration.minutes(10) });
ignoreRedundantDependsOn(firewall, 'AWS::StepFunctions::StateMachine');

// Both directions of a flow stay in one zone.
test.assertions
  .awsApiCall('EC2', 'describeTransitGatewayVpcAttachments', { TransitGatewayAttachmentIds: [inspection.attachmentId] })
  .expect(ExpectedResult.objectLike({
    TransitGatewayVpcAttachments: [{ State: 'available', Options: { ApplianceModeSupport: 'enable' } }],
  }));

// The business route table sends the management VPC through the inspection attachment.
test.assertions
  .awsApiCall('EC2', 'searchTransitGatewayRoutes', {
    TransitGatewayRouteTableId: hub.routeTableId(RoutingDomain.BUSINESS_APPLICATION),
    Filters: [{ Name: 'route-search.exact-match', Values: [managementCidr] }],
  })
  .expect(ExpectedResult.objectLike({
    Routes: [{
      DestinationCidrBlock: managementCidr,
      Type: 'static',
      State: 'active',
      TransitGatewayAttachments: [{ TransitGatewayAttachmentId: inspection.attachmentId }],
    }],
  }));
