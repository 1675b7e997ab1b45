export * from './log-archive';
export * from './tagging-standard';
