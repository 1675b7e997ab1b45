export * from './control';
export * from './control-catalogue';
export * from './ncsc-checks';
