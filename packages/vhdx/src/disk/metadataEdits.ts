/**
 * The byte edits that replace or add metadata items ([MS-VHDX] 2.6.1): an item is rewritten in
 * place when the new data fits in its old slot, otherwise it goes to free space after the last
 * item; its table entry (and the entry count) change with it. The caller writes the edits through
 * the log in one entry.
 */
import { VhdxError } from '../errors.js';
import { METADATA_ITEMS_START, MiB } from '../format/constants.js';
import type { DiskMetadata } from '../format/metadata.js';
import type { FileLayout } from './fileLayout.js';
import type { MetaPages } from './metaPages.js';
import { view } from '../util/bytes.js';
import { writeGuid } from '../util/guid.js';

export interface MetadataItemUpdate {
  itemId: string;
  isUser: boolean;
  data: Uint8Array;
  flags: number;
}

export function metadataEdits(
  items: DiskMetadata['items'],
  region: { fileOffset: number; length: number },
  updates: MetadataItemUpdate[],
): { at: number; bytes: Uint8Array }[] {
  let freeAt = Math.max(
    METADATA_ITEMS_START,
    ...items.map((it) => (it.offset ?? 0) + it.data.length),
  );
  let count = items.length;
  const edits: { at: number; bytes: Uint8Array }[] = [];
  for (const u of updates) {
    const index = items.findIndex((it) => it.itemId === u.itemId && it.isUser === u.isUser);
    const old = index >= 0 ? items[index] : undefined;
    let offset: number;
    if (
      old !== undefined &&
      (old.offset ?? 0) >= METADATA_ITEMS_START &&
      u.data.length <= old.data.length
    ) {
      offset = old.offset ?? 0;
      const padded = new Uint8Array(old.data.length);
      padded.set(u.data);
      edits.push({ at: offset, bytes: padded });
    } else {
      offset = Math.ceil(freeAt / 8) * 8;
      if (offset + u.data.length > region.length || u.data.length > MiB) {
        throw new VhdxError('metadata table', `no room for a ${u.data.length}-byte item`, {
          offset: region.fileOffset,
          code: 'UNSUPPORTED',
        });
      }
      edits.push({ at: offset, bytes: u.data });
      freeAt = offset + u.data.length;
    }
    let entryIndex = index;
    if (entryIndex < 0) {
      entryIndex = count++;
      if (32 + count * 32 > METADATA_ITEMS_START || count > 2047) {
        throw new VhdxError('metadata table', 'the table is full', {
          offset: region.fileOffset,
          code: 'UNSUPPORTED',
        });
      }
    }
    const entry = new Uint8Array(32);
    writeGuid(entry, 0, u.itemId);
    const ev = view(entry);
    ev.setUint32(16, u.data.length === 0 ? 0 : offset, true);
    ev.setUint32(20, u.data.length, true);
    ev.setUint32(24, u.flags, true);
    edits.push({ at: 32 + entryIndex * 32, bytes: entry });
  }
  if (count !== items.length) {
    const c = new Uint8Array(2);
    view(c).setUint16(0, count, true);
    edits.push({ at: 10, bytes: c });
  }
  return edits;
}

/**
 * Writes `edits` into the metadata region's cached pages, marked dirty for the next log entry;
 * refuses them when they would not fit in one entry (a torn update then leaves either the old or
 * the new items).
 */
export async function stageMetadataEdits(
  pages: MetaPages,
  layout: FileLayout,
  edits: readonly { at: number; bytes: Uint8Array }[],
): Promise<void> {
  const region = layout.metadata;
  for (const { at, bytes } of edits) {
    for (let done = 0; done < bytes.length;) {
      const fileAt = region.fileOffset + at + done;
      const page = await pages.get(fileAt);
      const within = fileAt % 4096;
      const n = Math.min(bytes.length - done, 4096 - within);
      page.set(bytes.subarray(done, done + n), within);
      pages.markDirty(fileAt);
      done += n;
    }
  }
  if (pages.dirtyCount() > Math.floor(layout.header.logLength / 4096) - 2) {
    throw new VhdxError('log', 'metadata update does not fit in one log entry', {
      offset: layout.header.logOffset,
      code: 'UNSUPPORTED',
    });
  }
}
