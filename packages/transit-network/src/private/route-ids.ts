import { Token } from 'aws-cdk-lib';

/**
 * Returns the construct ID part for a route to `cidr`, such as `Cidr10x0x0x0x12`, or
 * `<tokenName><index>`, such as `InternalRange0`, when `cidr` is a token.
 *
 * IDs follow the CIDR rather than its position in the list, so that reordering the list
 * changes no logical ID. A route replaced under a new logical ID is created before the
 * old one is deleted, and fails because its destination is still in the route table.
 * Pass the CIDR as it should read in the ID.
 */
export function cidrRouteId(cidr: string, index: number, tokenName: string): string {
  return Token.isUnresolved(cidr) ? `${tokenName}${index}` : `Cidr${cidr.replace(/[./]/g, 'x')}`;
}
