/**
 * The rules and shapes the server and the web app share. Browser-safe: nothing here imports Node.
 */
export * from './vmStates.js';
export * from './vmActions.js';
export * from './deleteOutcome.js';
export * from './limits.js';
export * from './hosts.js';
export type * from './bodies.js';
export * from './networkAddresses.js';
