// What other packages' tests use: outside tools (qemu-io, qemu-img, 7zz) and a raw NBD client.
export { requireTool, runTool } from './outsideTools.js';
export { connectRaw, goData, type RawClient } from './rawClient.js';
export { Command, CommandFlag, Option } from '../protocol.js';
