// The event workflow's public surface.
export * from './commands';
export * from './labels';
export * from './permissions';
export * from './transition';
export * from './types';
export * from './effects';
