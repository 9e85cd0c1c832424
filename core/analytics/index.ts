export * from './period';
export * from './history';
export * from './rates';
export * from './first-report';
export * from './grouping';
export * from './patrol';
