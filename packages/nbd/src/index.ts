export { startNbdServer } from './server.js';
export type { NbdServer, NbdServerOptions } from './server.js';
export { BlockExportError } from './blockExport.js';
export type { BlockExport, ExportLookup } from './blockExport.js';
export { memoryBlockExport } from './memoryBlockExport.js';
