export * from './routing-domain';
export * from './routing-policy';
export * from './transit-hub';
