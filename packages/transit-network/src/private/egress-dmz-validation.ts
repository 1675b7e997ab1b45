import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import type { EgressDmzProps } from '../egress-dmz';
import { validateDmzCidr, validateInternalCidrs, validateManagedHub } from './dmz-validation';
import { POLICY_STATEFUL_CAPACITY, policyCapacity } from './egress-firewall-policy';
import { validateBucket, validateOptionalKey } from './resource-checks';
import { PropsValidator, describeConstruct, show } from './validation';
import { resolveAvailabilityZones } from './zones';

/**
 * The prefix lengths the egress VPC may have. Nine subnets (three groups in three zones)
 * of /28, the smallest subnet AWS allows, need 144 addresses, so a /24 is the smallest
 * block that holds them. A /16 is the largest VPC CIDR block AWS allows.
 */
export const EGRESS_PREFIX_LENGTH = { min: 16, max: 24 };

/** One DNS label: letters, digits and inner hyphens, 1 to 63 characters. */
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
/** A top-level domain: letters only, or an internationalised one in its `xn--` form. */
const TOP_LEVEL = '(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})';
const DOMAIN = new RegExp(`^\\.?(?:${LABEL}\\.)+${TOP_LEVEL}$`);
const MAX_DOMAIN_LENGTH = 253;

/**
 * Public suffixes under which anyone can register a domain, so that an allowed entry
 * for one would let traffic reach every site registered under it. `gov.uk` and
 * `service.gov.uk` are absent on purpose: only government bodies can register under them.
 * Single-label suffixes such as `.uk` and `.com` are rejected by a rule of their own.
 */
const OPEN_PUBLIC_SUFFIXES: readonly string[] = ['co.uk', 'org.uk', 'me.uk', 'ltd.uk', 'plc.uk', 'net.uk'];

/**
 * Checks every prop of an EgressDmz and throws one error that lists every problem.
 *
 * Returns the availability zones to use. `self` is the construct being built, whose
 * stack supplies the region.
 */
export function validateEgressDmzProps(scope: Construct, id: string, self: Construct, props: EgressDmzProps): string[] {
  const validator = new PropsValidator(describeConstruct('EgressDmz', scope, id));

  validateManagedHub(validator, self, props?.hub, 'the egress DMZ', 'adds default and blackhole routes to');
  validateBucket(validator, 'logBucket', props?.logBucket, 'the log archive bucket that receives the VPC flow logs and the firewall logs');
  validateOptionalKey(validator, self, 'encryptionKey', props?.encryptionKey);
  const egressBlock = validateDmzCidr(validator, props?.cidr, { ...EGRESS_PREFIX_LENGTH, example: '10.0.255.0/24', sizeReason: 'The VPC has nine subnets of /28 (three groups in three zones)' });
  // The egress CIDR may lie inside an internal range, as it is carved from the tier's
  // supernet: longest-prefix matching keeps its local route and its propagated hub route
  // ahead of the internal routes and blackholes. A range inside the egress CIDR is rejected.
  validateInternalCidrs(validator, props?.internalCidrs, egressBlock, {
    vpcLabel: 'egress',
    perRangeResources: 'a route and a blackhole',
    rangesHint: '',
    publicRangeReason: 'Internal ranges are blackholed in the hub, so a public range here would cut every VPC off from those internet addresses.',
    wholeSpaceReason: 'would blackhole the default route',
  });
  validateDomainLists(validator, props?.allowedDomains, props?.deniedDomains);
  const availabilityZones = resolveAvailabilityZones(self, validator, props?.availabilityZones);
  if (props?.deleteProtection !== undefined && typeof props.deleteProtection !== 'boolean') {
    validator.fail(`deleteProtection is ${show(props.deleteProtection)}; use true or false, or leave it out to protect the firewall.`);
  }

  validator.throwIfInvalid();
  return availabilityZones;
}

function validateDomainLists(validator: PropsValidator, allowedDomains: unknown, deniedDomains: unknown): void {
  for (const [propName, domains] of [['allowedDomains', allowedDomains], ['deniedDomains', deniedDomains]] as const) {
    if (Array.isArray(domains) && Token.isUnresolved(domains)) {
      validator.fail(`${propName} is a list token; pass a literal list, because the firewall's rule groups are sized and written `
        + 'for each domain at synth time. Tokens are accepted as entries.');
      return;
    }
  }

  if (!Array.isArray(allowedDomains) || allowedDomains.length === 0) {
    validator.fail(`allowedDomains is ${show(allowedDomains)}; pass at least one domain, for example [".service.gov.uk"]. `
      + 'Without an allow list every connection to the internet is dropped.');
  } else {
    validateDomainList(validator, 'allowedDomains', allowedDomains);
  }

  if (deniedDomains !== undefined && !Array.isArray(deniedDomains)) {
    validator.fail(`deniedDomains is ${show(deniedDomains)}; pass a list of domains, or leave it out.`);
  } else if (Array.isArray(deniedDomains)) {
    validateDomainList(validator, 'deniedDomains', deniedDomains);
  }

  if (Array.isArray(allowedDomains) && Array.isArray(deniedDomains)) {
    const allowed = new Set(allowedDomains);
    deniedDomains.forEach((domain, index) => {
      if (typeof domain === 'string' && !Token.isUnresolved(domain) && allowed.has(domain)) {
        validator.fail(`deniedDomains[${index}] ${show(domain)} is also in allowedDomains; remove it from one of the two lists.`);
      }
    });
  }

  const allowedCount = Array.isArray(allowedDomains) ? allowedDomains.length : 0;
  const deniedCount = Array.isArray(deniedDomains) ? deniedDomains.length : 0;
  const capacity = policyCapacity(allowedCount, deniedCount);
  validator.check(capacity <= POLICY_STATEFUL_CAPACITY,
    `allowedDomains (${allowedCount} domains) and deniedDomains (${deniedCount} domains) need rule groups of ${capacity} capacity units in total, `
    + `more than the ${POLICY_STATEFUL_CAPACITY} a firewall policy has under the default quota; shorten the lists, for example with ".example.gov.uk" entries that cover subdomains.`);
}

function validateDomainList(validator: PropsValidator, propName: string, domains: unknown[]): void {
  const seen = new Map<string, number>();
  domains.forEach((domain, index) => {
    if (typeof domain === 'string' && Token.isUnresolved(domain)) {
      return;
    }
    const problem = domainProblem(domain);
    if (problem) {
      validator.fail(`${propName}[${index}] is ${show(domain)}; ${problem}`);
      return;
    }
    if (propName === 'allowedDomains' && OPEN_PUBLIC_SUFFIXES.includes((domain as string).replace(/^\./, ''))) {
      validator.fail(`${propName}[${index}] is ${show(domain)}, a public suffix under which anyone can register a domain, `
        + 'so it would allow every site registered under it. Allow the domains of the services you use, for example ".example.co.uk".');
      return;
    }
    const first = seen.get(domain as string);
    if (first !== undefined) {
      validator.fail(`${propName}[${index}] ${show(domain)} repeats ${propName}[${first}]; list each domain once.`);
    } else {
      seen.set(domain as string, index);
    }
  });
}

/** Describes what is wrong with a domain list entry and how to fix it, or returns undefined if it is valid. */
function domainProblem(domain: unknown): string | undefined {
  const form = 'use a domain name such as "www.example.gov.uk", or ".example.gov.uk" for the domain and all its subdomains.';
  if (typeof domain !== 'string') {
    return form;
  }
  if (domain.includes('://')) {
    return `remove the scheme; ${form}`;
  }
  if (domain.includes('*')) {
    return `Network Firewall domain lists take no "*" wildcard; ${form}`;
  }
  if (domain.includes('/')) {
    return `remove the path, because domain lists match only the TLS server name and the HTTP Host header; ${form}`;
  }
  if (domain.includes(':')) {
    return `remove the port, because domain lists match names on any port; ${form}`;
  }
  if (domain !== domain.toLowerCase()) {
    return `use lower case, ${show(domain.toLowerCase())}.`;
  }
  if (domain.endsWith('.')) {
    return `remove the trailing dot; ${form}`;
  }
  if (/^\.?[0-9.]+$/.test(domain)) {
    return `domain lists match names, not IP addresses; ${form}`;
  }
  if (/^\.?[a-z0-9-]+$/.test(domain)) {
    return `it has a single label, so it is a bare host name or, with a leading dot, a whole top-level domain; ${form}`;
  }
  if (domain.replace(/^\./, '').length > MAX_DOMAIN_LENGTH || !DOMAIN.test(domain)) {
    return `it is not a valid domain name; ${form}`;
  }
  return undefined;
}
