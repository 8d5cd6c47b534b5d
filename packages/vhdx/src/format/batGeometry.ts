import { BitmapState, MiB, PayloadState, SECTORS_PER_BITMAP_BLOCK } from './constants.js';

/** Sizes derived from the disk parameters that decide where each BAT entry lives. */
export interface BatGeometry {
  blockSize: number;
  logicalSectorSize: number;
  virtualSize: number;
  chunkRatio: number;
  dataBlocks: number;
  bitmapBlocks: number;
  entryCount: number;
  /** Bytes of virtual disk covered by one sector-bitmap block. */
  chunkSize: number;
}

export function batGeometry(
  virtualSize: number,
  blockSize: number,
  logicalSectorSize: number,
  differencing: boolean,
): BatGeometry {
  const chunkSize = SECTORS_PER_BITMAP_BLOCK * logicalSectorSize;
  const chunkRatio = chunkSize / blockSize;
  const dataBlocks = Math.ceil(virtualSize / blockSize);
  const bitmapBlocks = Math.ceil(dataBlocks / chunkRatio);
  const entryCount = differencing
    ? bitmapBlocks * (chunkRatio + 1)
    : dataBlocks + Math.floor((dataBlocks - 1) / chunkRatio);
  return {
    blockSize,
    logicalSectorSize,
    virtualSize,
    chunkRatio,
    dataBlocks,
    bitmapBlocks,
    entryCount: Math.max(entryCount, 0),
    chunkSize,
  };
}

export function payloadEntryIndex(g: BatGeometry, block: number): number {
  return block + Math.floor(block / g.chunkRatio);
}

export function bitmapEntryIndex(g: BatGeometry, chunk: number): number {
  return chunk * (g.chunkRatio + 1) + g.chunkRatio;
}

export function batRegionLength(g: BatGeometry): number {
  return Math.max(MiB, Math.ceil((g.entryCount * 8) / MiB) * MiB);
}

export interface BatEntry {
  state: number;
  fileOffsetMB: number;
  reservedBits: number;
}

export function decodeBatEntry(dv: DataView, at: number): BatEntry {
  const lo = dv.getUint32(at, true);
  const hi = dv.getUint32(at + 4, true);
  return {
    state: lo & 7,
    reservedBits: (lo >>> 3) & 0x1ffff,
    fileOffsetMB: (lo >>> 20) + hi * 4096,
  };
}

export function encodeBatEntry(
  dv: DataView,
  at: number,
  state: number,
  fileOffsetMB: number,
): void {
  dv.setUint32(at, (state | ((fileOffsetMB % 4096) << 20)) >>> 0, true);
  dv.setUint32(at + 4, Math.floor(fileOffsetMB / 4096), true);
}

export { BitmapState, PayloadState };
