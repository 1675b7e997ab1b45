export * from './cloud-assembly';
export * from './model';
export * from './nag-report';
export * from './principles';
export * from './render-html';
export * from './render-json';
export * from './render-markdown';
export * from './write-report';
