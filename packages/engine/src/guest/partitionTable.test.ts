import { describe, expect, it } from 'vitest';
import { crc32 } from './diskFormat.js';
import { guidBytes, partitionTable } from './partitionTable.js';

const MIB = 1024 * 1024;
const guids = {
  disk: '4f1c9e2a-7b3d-4e8f-9a10-b2c3d4e5f601',
  partition: '0a1b2c3d-4e5f-4a6b-8c7d-8e9fa0b1c2d3',
};

/** Lays the writes onto one image of the whole disk (small disks only). */
function image(sizeBytes: number, generation: 1 | 2): DataView {
  const bytes = new Uint8Array(sizeBytes);
  for (const write of partitionTable(generation, sizeBytes, guids))
    bytes.set(write.data, write.offset);
  return new DataView(bytes.buffer);
}

function header(disk: DataView, lba: number) {
  const at = lba * 512;
  const bytes = new Uint8Array(disk.buffer, at, 92).slice();
  const stored = disk.getUint32(at + 16, true);
  new DataView(bytes.buffer).setUint32(16, 0, true);
  return {
    signature: new TextDecoder().decode(new Uint8Array(disk.buffer, at, 8)),
    crcOk: crc32(bytes) === stored,
    myLba: Number(disk.getBigUint64(at + 24, true)),
    alternateLba: Number(disk.getBigUint64(at + 32, true)),
    firstUsable: Number(disk.getBigUint64(at + 40, true)),
    lastUsable: Number(disk.getBigUint64(at + 48, true)),
    arrayLba: Number(disk.getBigUint64(at + 72, true)),
    arrayCrc: disk.getUint32(at + 88, true),
  };
}

describe('the partition table a guest installs', () => {
  it('generation 2: a protective MBR, primary and backup GPT headers with valid CRC-32s, one basic data partition from 1 MiB', () => {
    const size = 64 * MIB;
    const disk = image(size, 2);
    const last = size / 512 - 1;
    expect(disk.getUint8(446 + 4)).toBe(0xee);
    expect([disk.getUint8(510), disk.getUint8(511)]).toEqual([0x55, 0xaa]);
    const primary = header(disk, 1);
    const backup = header(disk, last);
    expect(primary).toMatchObject({
      signature: 'EFI PART',
      crcOk: true,
      myLba: 1,
      alternateLba: last,
    });
    expect(backup).toMatchObject({
      signature: 'EFI PART',
      crcOk: true,
      myLba: last,
      alternateLba: 1,
    });
    expect(primary.firstUsable).toBe(34);
    expect(primary.lastUsable).toBe(last - 33);
    expect(backup.arrayLba).toBe(last - 32);
    for (const h of [primary, backup]) {
      const array = new Uint8Array(disk.buffer, h.arrayLba * 512, 128 * 128);
      expect(crc32(array)).toBe(h.arrayCrc);
    }
    const entry = 2 * 512;
    expect(new Uint8Array(disk.buffer, entry, 16)).toEqual(
      guidBytes('ebd0a0a2-b9e5-4433-87c0-68b6b72699c7'),
    );
    expect(new Uint8Array(disk.buffer, entry + 16, 16)).toEqual(guidBytes(guids.partition));
    expect(Number(disk.getBigUint64(entry + 32, true))).toBe(2048);
    expect(Number(disk.getBigUint64(entry + 40, true))).toBe(last - 33);
  });

  it('generation 1: an MBR with one active NTFS partition from 1 MiB to the end', () => {
    const size = 64 * MIB;
    const disk = image(size, 1);
    expect(disk.getUint8(446)).toBe(0x80);
    expect(disk.getUint8(446 + 4)).toBe(0x07);
    expect(disk.getUint32(446 + 8, true)).toBe(2048);
    expect(disk.getUint32(446 + 12, true)).toBe(size / 512 - 2048);
    expect(partitionTable(1, size, guids)).toHaveLength(1);
  });

  it('stores GUIDs with their first three fields little-endian, as GPT does', () => {
    expect([...guidBytes('00112233-4455-6677-8899-aabbccddeeff')]).toEqual([
      0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee,
      0xff,
    ]);
  });
});
