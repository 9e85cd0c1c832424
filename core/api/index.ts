export * from './contract';
export * from './schemas';
export * from './validate';
export * from './client';
export * from './channels';
export * from './csp';
