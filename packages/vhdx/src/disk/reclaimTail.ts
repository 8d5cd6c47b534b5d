import { BitmapState, HEADER_SECTION_SIZE, MiB, PayloadState } from '../format/constants.js';
import type { VhdxFile } from './vhdxFile.js';

/**
 * Gives back the end of a file that nothing references: space past the header section, the log,
 * every region and every block and sector bitmap the BAT records. A write cut off by a crash
 * (a merge's copy between two durable records) leaves such a tail: its blocks were allocated and
 * written, but the BAT entries naming them never reached the log, and new blocks would be
 * allocated after it. The file is cut at the 1 MiB boundary after the last referenced byte
 * (blocks are allocated on 1 MiB boundaries, MS-VHDX §2.5). Returns the bytes given back.
 */
export async function reclaimUnreferencedTail(file: VhdxFile): Promise<number> {
  file.assertWritable();
  const { layout, geometry, meta } = file;
  let end = Math.max(
    HEADER_SECTION_SIZE,
    layout.header.logOffset + layout.header.logLength,
    ...layout.regions.map((r) => r.fileOffset + r.length),
  );
  for (let block = 0; block < geometry.dataBlocks; block++) {
    const entry = await file.payloadEntry(block);
    if (entry.state === PayloadState.FullyPresent || entry.state === PayloadState.PartiallyPresent)
      end = Math.max(end, entry.fileOffsetMB * MiB + meta.blockSize);
  }
  if (meta.hasParent) {
    for (let chunk = 0; chunk < geometry.bitmapBlocks; chunk++) {
      const entry = await file.bitmapEntry(chunk);
      if (entry.state === BitmapState.Present) end = Math.max(end, entry.fileOffsetMB * MiB + MiB);
    }
  }
  end = Math.ceil(end / MiB) * MiB;
  const size = await file.handle.size();
  if (size <= end) return 0;
  await file.startSession();
  await file.handle.truncate(end);
  await file.handle.sync();
  file.fileSize = end;
  return size - end;
}
