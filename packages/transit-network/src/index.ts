export * from './address-plan';
export * from './client-vpn-endpoint';
export * from './egress-dmz';
export * from './ingress-dmz';
export * from './routing-domain';
export * from './routing-policy';
export * from './spoke-vpc';
export * from './transit-hub';
