import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { RoutingDomain, RoutingPolicy, SegmentationScopes, TransitHub } from '../src';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
const stack = new Stack(app, 'SegmentationScopesInteg');

// The policy inspects the connection of management and business applications, as the
// inspection scope below assumes. A hub whose policy inspects nothing makes synth warn.
const hub = new TransitHub(stack, 'Hub', { tierName: 'integ', amazonSideAsn: 64601, routingPolicy: RoutingPolicy.platformDefaultWithInspection() });
const management = ['10.64.0.0/20'];
const businessApplications = ['10.64.16.0/20', '10.64.32.0/20'];
const governmentManagement = ['10.16.0.0/13'];
const governmentBusiness = ['10.24.0.0/13'];

// No egress firewall: the internet egress scope then reports every path to an internet
// gateway, and the test needs no firewall deployed. The inspection scope names a firewall
// that is not deployed either: the scope only stores its ARN, which an analysis would
// look up, and the test runs no analysis.
const scopes = new SegmentationScopes(stack, 'Scopes', {
  hub,
  tierCidrs: ['10.64.0.0/14'],
  otherTierCidrs: ['10.0.0.0/14'],
  businessApplicationCidrs: businessApplications,
  inspectionFirewallArn: stack.formatArn({ service: 'network-firewall', resource: 'firewall', resourceName: 'integ-east-west-firewall' }),
  inspectedPairs: [{ cidrs: management, peerCidrs: businessApplications }],
  governmentNetworkTraffic: [
    { domain: RoutingDomain.GOVERNMENT_NETWORK_MANAGEMENT_DMZ, governmentCidrs: governmentManagement, allowedCidrs: management },
    { domain: RoutingDomain.GOVERNMENT_NETWORK_BUSINESS_DMZ, governmentCidrs: governmentBusiness, allowedCidrs: businessApplications },
  ],
});

const test = new IntegTest(app, 'SegmentationScopesTest', { testCases: [stack], regions: ['eu-west-2'] });

// The tier isolation scope exists under the ID the stack outputs.
test.assertions
  .awsApiCall('EC2', 'describeNetworkInsightsAccessScopes', { NetworkInsightsAccessScopeIds: [scopes.tierIsolationScopeId] })
  .expect(ExpectedResult.objectLike({
    NetworkInsightsAccessScopes: [{ NetworkInsightsAccessScopeId: scopes.tierIsolationScopeId }],
  }));

// The deployed internet egress scope matches paths from the tier to internet gateways.
test.assertions
  .awsApiCall('EC2', 'getNetworkInsightsAccessScopeContent', { NetworkInsightsAccessScopeId: scopes.internetEgressScopeId })
  .expect(ExpectedResult.objectLike({
    NetworkInsightsAccessScopeContent: {
      MatchPaths: [{
        Source: { PacketHeaderStatement: { SourceAddresses: ['10.64.0.0/14'] } },
        Destination: { ResourceStatement: { ResourceTypes: ['AWS::EC2::InternetGateway'] } },
      }],
    },
  }));

// The deployed east-west inspection scope matches both directions between the inspected ranges.
test.assertions
  .awsApiCall('EC2', 'getNetworkInsightsAccessScopeContent', { NetworkInsightsAccessScopeId: scopes.eastWestInspectionScopeId })
  .expect(ExpectedResult.objectLike({
    NetworkInsightsAccessScopeContent: {
      MatchPaths: [
        {
          Source: { PacketHeaderStatement: { SourceAddresses: management } },
          Destination: { PacketHeaderStatement: { DestinationAddresses: businessApplications } },
        },
        {
          Source: { PacketHeaderStatement: { SourceAddresses: businessApplications } },
          Destination: { PacketHeaderStatement: { DestinationAddresses: management } },
        },
      ],
    },
  }));

// The deployed government network scope matches each DMZ's ranges and excludes what each may reach.
test.assertions
  .awsApiCall('EC2', 'getNetworkInsightsAccessScopeContent', { NetworkInsightsAccessScopeId: scopes.governmentNetworkScopeId })
  .expect(ExpectedResult.objectLike({
    NetworkInsightsAccessScopeContent: {
      MatchPaths: [
        { Source: { PacketHeaderStatement: { SourceAddresses: governmentManagement } } },
        { Source: { PacketHeaderStatement: { SourceAddresses: governmentBusiness } } },
      ],
      ExcludePaths: [
        {
          Source: { PacketHeaderStatement: { SourceAddresses: governmentManagement } },
          Destination: { PacketHeaderStatement: { DestinationAddresses: management } },
        },
        {
          Source: { PacketHeaderStatement: { SourceAddresses: governmentBusiness } },
          Destination: { PacketHeaderStatement: { DestinationAddresses: businessApplications } },
        },
        { Source: { ResourceStatement: { ResourceTypes: ['AWS::EC2::InternetGateway'] } } },
      ],
    },
  }));
