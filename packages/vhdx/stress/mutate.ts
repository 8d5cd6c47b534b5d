import { crc32c } from './crc32c.js';
import type { Structure } from './corpus.js';
import type { FuzzFile } from './overlayStore.js';
import type { Random } from '@hvm/stress-support';

const INTERESTING = [
  0n,
  1n,
  2n,
  0x7fn,
  0x80n,
  0xffn,
  0x100n,
  0xfffn,
  0x1000n,
  0xffffn,
  0x10000n,
  0x100000n,
  0x7fffffffn,
  0x80000000n,
  0xffffffffn,
  0x100000000n,
  0x10000000000n,
  0x1fffffffffffffn,
  0x20000000000000n,
  0x7fffffffffffffffn,
  0xffffffffffffffffn,
];

function pickSpot(file: FuzzFile, structure: Structure, random: Random): number {
  const { offset, length } = structure;
  const span = Math.max(1, Math.min(length, file.base.length - offset));
  // Fields live near a structure's start; metadata items start 64 KiB into their region.
  const roll = random.next();
  if (roll < 0.55) return offset + random.int(Math.min(span, 512));
  if (roll < 0.75 && span > 64 * 1024 + 1024) return offset + 64 * 1024 + random.int(1024);
  return offset + random.int(span);
}

interface Touched {
  structure: Structure;
  at: number;
}

function mutateOnce(file: FuzzFile, structures: Structure[], random: Random): Touched | null {
  const roll = random.next();
  if (roll < 0.04) {
    file.size = random.int(file.size + 1);
    return null;
  }
  if (roll < 0.05) {
    file.size += random.int(8 * 1024 * 1024);
    return null;
  }
  const weighted = structures.filter((s) => s.kind !== 'payload' || random.chance(0.1));
  const structure = random.pick(weighted.length > 0 ? weighted : structures);
  const at = pickSpot(file, structure, random);
  const kind = random.int(6);
  if (kind === 0) {
    const old = file.bytes(at, 1)[0] ?? 0;
    file.setByte(at, old ^ (1 << random.int(8)));
  } else if (kind === 1) {
    file.setByte(at, random.int(256));
  } else if (kind === 2 || kind === 3) {
    const width = random.pick([2, 4, 8]);
    const value = random.chance(0.7)
      ? random.pick(INTERESTING)
      : BigInt(random.int(2 ** 31)) * 512n;
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, value & 0xffffffffffffffffn, true);
    file.setBytes(at - (at % width), bytes.subarray(0, width));
  } else if (kind === 4) {
    const from = pickSpot(file, random.pick(structures), random);
    file.setBytes(at, file.bytes(from, 1 + random.int(64)));
  } else {
    file.setBytes(at, new Uint8Array(1 + random.int(256)));
  }
  return { structure, at };
}

/** Recomputes the CRC-32C of a header, region table or log entry so the mutation reaches the parser behind it. */
function fixChecksum(file: FuzzFile, { structure, at: spot }: Touched): void {
  if (structure.kind === 'header' || structure.kind === 'region table') {
    const bytes = file.bytes(structure.offset, structure.length);
    bytes.fill(0, 4, 8);
    const crc = new Uint8Array(4);
    new DataView(crc.buffer).setUint32(0, crc32c(bytes), true);
    file.setBytes(structure.offset + 4, crc);
  } else if (structure.kind === 'log') {
    // The entry holding the mutation starts at one of the 4 KiB boundaries before it.
    const first = Math.max(structure.offset, spot - (spot % 4096) - 64 * 1024);
    for (let at = first; at <= spot; at += 4096) {
      const head = file.bytes(at, 12);
      if (String.fromCharCode(...head.subarray(0, 4)) !== 'loge') continue;
      const length = new DataView(head.buffer).getUint32(8, true);
      if (length === 0 || length > structure.length) continue;
      const entry = file.bytes(at, length);
      entry.fill(0, 4, 8);
      const crc = new Uint8Array(4);
      new DataView(crc.buffer).setUint32(0, crc32c(entry), true);
      file.setBytes(at + 4, crc);
    }
  }
}

/** Applies 1-8 seeded mutations to a file; often repairs checksums afterwards. */
export function mutate(file: FuzzFile, structures: Structure[], random: Random): void {
  const count = 1 + random.int(random.chance(0.2) ? 8 : 3);
  const touched: Touched[] = [];
  for (let i = 0; i < count; i += 1) {
    const spot = mutateOnce(file, structures, random);
    if (spot !== null) touched.push(spot);
  }
  if (random.chance(0.6)) for (const spot of touched) fixChecksum(file, spot);
}
