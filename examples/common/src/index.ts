export * from './checks';
export * from './estate';
export * from './tier-network';
export * from './segmentation';
export * from './security-baseline';
export * from './scaled-estate';
export * from './account-baseline';
export * from './key-store';
