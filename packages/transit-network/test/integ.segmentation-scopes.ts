import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { SegmentationScopes, TransitHub } from '../src';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
const stack = new Stack(app, 'SegmentationScopesInteg');

const hub = new TransitHub(stack, 'Hub', { tierName: 'integ', amazonSideAsn: 64601 });
// No egress firewall: the internet egress scope then reports every path to an internet
// gateway, and the test needs no firewall deployed.
const scopes = new SegmentationScopes(stack, 'Scopes', {
  hub,
  tierCidrs: ['10.64.0.0/14'],
  otherTierCidrs: ['10.0.0.0/14'],
  businessApplicationCidrs: ['10.64.16.0/20', '10.64.32.0/20'],
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
