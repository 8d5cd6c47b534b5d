import { VhdxError } from '../errors.js';
import { ascii, readU64, view, writeAscii, writeU64 } from '../util/bytes.js';
import { crc32c, crc32cWithZeroedField } from '../util/crc32c.js';
import { readGuid, writeGuid } from '../util/guid.js';
import { MiB, REGION_TABLE_SIZE, SIG_REGION } from './constants.js';

export interface RegionEntry {
  guid: string;
  fileOffset: number;
  length: number;
  required: boolean;
}

const MAX_ENTRIES = 2047;

export function parseRegionTable(buf: Uint8Array, fileOffset: number): RegionEntry[] {
  const structure = `region table at ${fileOffset}`;
  if (buf.length < REGION_TABLE_SIZE || ascii(buf, 0, 4) !== SIG_REGION) {
    throw new VhdxError('region table', 'bad signature', {
      offset: fileOffset,
      field: 'Signature',
    });
  }
  const dv = view(buf);
  if (dv.getUint32(4, true) !== crc32cWithZeroedField(buf.subarray(0, REGION_TABLE_SIZE), 4)) {
    throw new VhdxError('region table', 'checksum mismatch', {
      offset: fileOffset,
      field: 'Checksum',
    });
  }
  const count = dv.getUint32(8, true);
  if (count > MAX_ENTRIES) {
    throw new VhdxError('region table', `EntryCount ${count} exceeds ${MAX_ENTRIES}`, {
      offset: fileOffset + 8,
      field: 'EntryCount',
    });
  }
  const entries: RegionEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = 16 + i * 32;
    const entry = {
      guid: readGuid(buf, at),
      fileOffset: readU64(dv, at + 16),
      length: dv.getUint32(at + 24, true),
      required: (dv.getUint32(at + 28, true) & 1) === 1,
    };
    if (entry.fileOffset < MiB || entry.fileOffset % MiB !== 0 || entry.length % MiB !== 0) {
      throw new VhdxError(structure, `region ${entry.guid} is not on 1 MiB boundaries`, {
        offset: fileOffset + at + 16,
        field: 'FileOffset',
      });
    }
    entries.push(entry);
  }
  return entries;
}

export function serializeRegionTable(entries: RegionEntry[]): Uint8Array {
  const buf = new Uint8Array(REGION_TABLE_SIZE);
  const dv = view(buf);
  writeAscii(buf, 0, SIG_REGION);
  dv.setUint32(8, entries.length, true);
  entries.forEach((e, i) => {
    const at = 16 + i * 32;
    writeGuid(buf, at, e.guid);
    writeU64(dv, at + 16, e.fileOffset);
    dv.setUint32(at + 24, e.length, true);
    dv.setUint32(at + 28, e.required ? 1 : 0, true);
  });
  dv.setUint32(4, crc32c(buf), true);
  return buf;
}
