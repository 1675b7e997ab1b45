import { Stack, Tags, aws_ec2 as ec2 } from 'aws-cdk-lib';
import { NON_PRODUCTION, buildTier, removeAssemblies, synthesise } from './fixtures';
import { RoutingDomain, SpokeVpc } from '../../src';
import { checkSegmentation } from '../../src/segmentation';
import { IntentResult } from '../../src/segmentation/intent-result';
import { pathLines } from '../../src/segmentation/path-text';

afterAll(removeAssemblies);

function intent(results: IntentResult[], name: string): IntentResult {
  return results.find((result) => result.intent === name)!;
}

/** Returns the subnets of a group of a spoke VPC. */
function subnets(spoke: SpokeVpc, group: string): ec2.ISubnet[] {
  return spoke.vpc.selectSubnets({ subnetGroupName: group }).subnets;
}

/** Adds an internet gateway, with no NAT gateway, to a spoke VPC. */
function addInternetGateway(spoke: SpokeVpc): ec2.CfnInternetGateway {
  const stack = Stack.of(spoke);
  const gateway = new ec2.CfnInternetGateway(stack, 'RogueIgw');
  new ec2.CfnVPCGatewayAttachment(stack, 'RogueIgwAttachment', { vpcId: spoke.vpc.vpcId, internetGatewayId: gateway.ref });
  return gateway;
}

describe('a propagation between business VPCs', () => {
  test('business VPCs reach each other', () => {
    const dir = synthesise((app) => {
      const tier = buildTier(app, NON_PRODUCTION);
      new ec2.CfnTransitGatewayRouteTablePropagation(Stack.of(tier.businessA), 'LeakIntoBusiness', {
        transitGatewayAttachmentId: tier.businessA.attachmentId,
        transitGatewayRouteTableId: tier.hub.routeTableId(RoutingDomain.BUSINESS_APPLICATION),
      });
    });
    const { results, model, passed } = checkSegmentation([dir]);

    const domains = intent(results, 'domainPolicyHolds');
    expect(passed).toBe(false);
    expect(domains.status).toBe('violated');
    expect(domains.violations.every((v) => v.path.sourceVpc.startsWith('NonProd-BenefitB/'))).toBe(true);
    expect(domains.violations[0].summary).toMatch(/non-production-benefit-b .* reaches VPC non-production-benefit-a .*business-application VPCs must not reach each other/);
    const text = pathLines(model, domains.violations[0].path).join('\n');
    expect(text).toMatch(/transit gateway route table NonProd-TransitHub\/Hub\/BusinessApplicationRouteTable .*10\.64\.32\.0\/19 to attachment NonProd-BenefitA\/BenefitA\/Attachment \(propagated by NonProd-BenefitA\/LeakIntoBusiness\)/);
    expect(text).toMatch(/=> delivered: .* in VPC non-production-benefit-a/);
  });
});

describe('an internet gateway in a spoke', () => {
  test('default route to it bypasses the firewall', () => {
    const dir = synthesise((app) => {
      const tier = buildTier(app, NON_PRODUCTION);
      const gateway = addInternetGateway(tier.businessA);
      const transit = subnets(tier.businessA, 'transit')[0];
      new ec2.CfnRoute(Stack.of(tier.businessA), 'RogueDefaultRoute', {
        routeTableId: transit.routeTable.routeTableId,
        destinationCidrBlock: '0.0.0.0/0',
        gatewayId: gateway.ref,
      });
    });
    const { results, model } = checkSegmentation([dir]);

    const internet = intent(results, 'internetOnlyThroughEgressFirewall');
    expect(internet.status).toBe('violated');
    expect(internet.violations).toHaveLength(1);
    expect(internet.violations[0].summary).toMatch(/non-production-benefit-a .*transitSubnet1.* reaches the internet through NonProd-BenefitA\/RogueIgw without passing a Network Firewall endpoint/);
    expect(pathLines(model, internet.violations[0].path)).toEqual([
      'From VPC non-production-benefit-a in eu-west-2a, to the public internet:',
      '  1. subnet NonProd-BenefitA/BenefitA/Resource/transitSubnet1/Subnet in eu-west-2a',
      '  2. route table NonProd-BenefitA/BenefitA/Resource/transitSubnet1/RouteTable in eu-west-2a: '
        + '0.0.0.0/0 to internet gateway NonProd-BenefitA/RogueIgw (route NonProd-BenefitA/RogueDefaultRoute)',
      '  3. internet gateway NonProd-BenefitA/RogueIgw',
      '  => leaves for the internet: the packet leaves through internet gateway NonProd-BenefitA/RogueIgw',
    ]);
  });

  test('two half routes beat the default route', () => {
    const dir = synthesise((app) => {
      const tier = buildTier(app, NON_PRODUCTION);
      const gateway = addInternetGateway(tier.businessA);
      const application = subnets(tier.businessA, 'application')[1];
      ['0.0.0.0/1', '128.0.0.0/1'].forEach((cidr, index) => new ec2.CfnRoute(Stack.of(tier.businessA), `HalfRoute${index}`, {
        routeTableId: application.routeTable.routeTableId,
        destinationCidrBlock: cidr,
        gatewayId: gateway.ref,
      }));
    });
    const { results } = checkSegmentation([dir]);

    const internet = intent(results, 'internetOnlyThroughEgressFirewall');
    expect(internet.status).toBe('violated');
    expect(internet.violations.map((v) => v.path.hops[1].route?.destination).sort()).toEqual(['0.0.0.0/1', '128.0.0.0/1']);
    expect(internet.violations.every((v) => v.path.zone === 'eu-west-2b')).toBe(true);
  });

  test('static default route to it bypasses the firewall', () => {
    const dir = synthesise((app) => {
      const tier = buildTier(app, NON_PRODUCTION, { egress: false });
      const stack = Stack.of(tier.management);
      const gateway = addInternetGateway(tier.management);
      subnets(tier.management, 'transit').forEach((subnet, index) => new ec2.CfnRoute(stack, `TransitToIgw${index}`, {
        routeTableId: subnet.routeTable.routeTableId,
        destinationCidrBlock: '0.0.0.0/0',
        gatewayId: gateway.ref,
      }));
      new ec2.CfnTransitGatewayRoute(stack, 'BusinessDefaultToManagement', {
        transitGatewayRouteTableId: tier.hub.routeTableId(RoutingDomain.BUSINESS_APPLICATION),
        destinationCidrBlock: '0.0.0.0/0',
        transitGatewayAttachmentId: tier.management.attachmentId,
      });
    });
    const { results, model } = checkSegmentation([dir]);

    const internet = intent(results, 'internetOnlyThroughEgressFirewall');
    const fromBusiness = internet.violations.filter((v) => v.path.sourceVpc.startsWith('NonProd-BenefitA/'));
    expect(internet.status).toBe('violated');
    expect(fromBusiness.length).toBeGreaterThan(0);
    const text = pathLines(model, fromBusiness[0].path).join('\n');
    expect(text).toMatch(/0\.0\.0\.0\/0 to attachment NonProd-Management\/Management\/Attachment \(static route NonProd-Management\/BusinessDefaultToManagement\)/);
    expect(text).toMatch(/arrives in VPC non-production-management at subnet NonProd-Management\/Management\/Resource\/transitSubnet1\/Subnet/);
    expect(text).toMatch(/internet gateway NonProd-Management\/RogueIgw\n/);
  });
});

describe('a transit gateway with its default route table', () => {
  test('connects every attachment', () => {
    const dir = synthesise((app) => {
      const stack = new Stack(app, 'Legacy', { env: { account: '111111111111', region: 'eu-west-2' } });
      const gateway = new ec2.CfnTransitGateway(stack, 'Gateway', {});
      ['10.90.0.0/16', '10.91.0.0/16'].forEach((cidr, index) => {
        const vpc = new ec2.Vpc(stack, `Vpc${index}`, {
          ipAddresses: ec2.IpAddresses.cidr(cidr),
          availabilityZones: ['eu-west-2a'],
          natGateways: 0,
          createInternetGateway: false,
          subnetConfiguration: [{ name: 'private', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
        });
        Tags.of(vpc).add('RoutingDomain', RoutingDomain.BUSINESS_APPLICATION);
        const attachment = new ec2.CfnTransitGatewayVpcAttachment(stack, `Attachment${index}`, {
          transitGatewayId: gateway.ref,
          vpcId: vpc.vpcId,
          subnetIds: vpc.isolatedSubnets.map((subnet) => subnet.subnetId),
        });
        vpc.isolatedSubnets.forEach((subnet) => new ec2.CfnRoute(stack, `Default${index}`, {
          routeTableId: subnet.routeTable.routeTableId,
          destinationCidrBlock: '0.0.0.0/0',
          transitGatewayId: gateway.ref,
        }).addDependency(attachment));
      });
    });
    const { results, model } = checkSegmentation([dir]);

    const domains = intent(results, 'domainPolicyHolds');
    expect(domains.status).toBe('violated');
    expect(domains.violations).toHaveLength(2);
    expect(pathLines(model, domains.violations[0].path).join('\n'))
      .toMatch(/transit gateway route table Legacy\/Gateway default route table: 10\.91\.0\.0\/16 to attachment Legacy\/Attachment1 \(propagated by Legacy\/Gateway\)/);
  });
});
