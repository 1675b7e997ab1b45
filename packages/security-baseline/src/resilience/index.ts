export * from './single-point-of-failure';
export * from './resilience-check';
export * from './resilience-report';
