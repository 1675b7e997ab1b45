export * from './log-archive';
export * from './tagging-standard';
export * from './web-acl';
export * from './guardrail-policies';
export * from './platform-organisation';
export * from './detective-controls';
