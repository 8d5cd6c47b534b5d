export { canServeVhostUserBlk, serveVhostUserBlkOnSocketPair } from './socketPair.js';
export type { VhostUserBlkOptions, VhostUserBlkServing } from './socketPair.js';
export type { VectoredBlockExport } from './blockRequests.js';
