import { Fn, aws_networkfirewall as networkfirewall } from 'aws-cdk-lib';

/**
 * Returns the ID of a firewall's endpoint in one availability zone, as a CloudFormation
 * expression that resolves at deploy time.
 *
 * The firewall's `EndpointIds` attribute lists one `"<zone>:<endpoint ID>"` string per
 * subnet, for example `"eu-west-2b:vpce-0123456789abcdef0"`, in no guaranteed order, so
 * an index into the list can pick another zone's endpoint. Instead, the list is joined
 * into one string, split at `"<zone>:"`, and the text after it is cut at the next comma.
 * A zone name followed by a colon occurs once only, because endpoint IDs contain neither
 * colons nor commas and no zone name ends with another zone's name.
 *
 * This needs no custom resource, so there is no Lambda function, role or API call at
 * deploy time, and CloudFormation re-evaluates the expression whenever the attribute
 * changes. If the zone has no endpoint, `Fn::Select` fails and the deployment stops, so a
 * route never points at another zone's endpoint.
 *
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-networkfirewall-firewall.html
 */
export function firewallEndpointIdInZone(firewall: networkfirewall.CfnFirewall, availabilityZone: string): string {
  const allEndpoints = Fn.join(',', firewall.attrEndpointIds);
  const fromZone = Fn.select(1, Fn.split(`${availabilityZone}:`, allEndpoints));
  return Fn.select(0, Fn.split(',', fromZone));
}
