import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { RoutingDomain, TransitHub } from '../src';

const app = new App();
// Integ stacks stay environment-agnostic: the assertion stack that IntegTest adds has no
// environment, and CDK rejects references from it into a stack pinned to a region.
const stack = new Stack(app, 'TransitHubInteg');

const hub = new TransitHub(stack, 'Hub', { tierName: 'integ', amazonSideAsn: 64600 });

const test = new IntegTest(app, 'TransitHubTest', { testCases: [stack], regions: ['eu-west-2'] });

// The deployed transit gateway must not associate or propagate attachments by default.
test.assertions
  .awsApiCall('EC2', 'describeTransitGateways', { TransitGatewayIds: [hub.transitGatewayId] })
  .expect(ExpectedResult.objectLike({
    TransitGateways: [{
      Options: {
        AmazonSideAsn: 64600,
        DefaultRouteTableAssociation: 'disable',
        DefaultRouteTablePropagation: 'disable',
      },
    }],
  }));

// Every routing domain has its own route table.
test.assertions
  .awsApiCall('EC2', 'describeTransitGatewayRouteTables', {
    Filters: [{ Name: 'transit-gateway-route-table-id', Values: [hub.routeTableId(RoutingDomain.MANAGEMENT)] }],
  })
  .expect(ExpectedResult.objectLike({ TransitGatewayRouteTables: [{ DefaultAssociationRouteTable: false }] }));
