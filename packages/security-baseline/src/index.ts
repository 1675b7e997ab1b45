export * from './log-archive';
export * from './tagging-standard';
export * from './web-acl';
