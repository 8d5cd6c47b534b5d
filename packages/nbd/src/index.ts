export { startNbdServer } from './server.js';
export type { NbdServer, NbdServerOptions } from './server.js';
export type { NbdServeOptions, NbdServing } from './connection.js';
export {
  canServeNbdOnSocketPair,
  connectedSocketPair,
  serveNbdOnSocketPair,
} from './socketPair.js';
export type { NbdSocketPair, NbdSocketPairOptions } from './socketPair.js';
export { BlockExportError } from './blockExport.js';
export type { BlockExport, ExportLookup } from './blockExport.js';
export { memoryBlockExport } from './memoryBlockExport.js';
