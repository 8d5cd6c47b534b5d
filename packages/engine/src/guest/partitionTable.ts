import { PARTITION_OFFSET, SECTOR, crc32 } from './diskFormat.js';

/**
 * The partition table a guest's installer writes: for generation 1 an MBR with one active NTFS
 * partition from 1 MiB; for generation 2 a protective MBR and a GUID partition table (UEFI 2.x
 * §5.3): the primary header at LBA 1 with its 128-entry array at LBA 2, the backup array and
 * header in the disk's last 33 sectors, and one "Basic data partition" from 1 MiB to the last
 * usable LBA. Both headers and the array carry their CRC-32s, so partition tools accept the disk.
 */
export interface PartitionTableWrite {
  offset: number;
  data: Uint8Array;
}

const ENTRY_COUNT = 128;
const ENTRY_SIZE = 128;
const HEADER_SIZE = 92;
const ARRAY_SECTORS = (ENTRY_COUNT * ENTRY_SIZE) / SECTOR;
/** Microsoft basic data partition. */
const BASIC_DATA = 'ebd0a0a2-b9e5-4433-87c0-68b6b72699c7';

/** A GUID in the mixed-endian layout GPT stores (the first three fields little-endian). */
export function guidBytes(guid: string): Uint8Array {
  const hex = guid.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new Error(`not a GUID: ${guid}`);
  const raw = Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16));
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  return Uint8Array.from(order, (i) => raw[i] ?? 0);
}

function protectiveOrActiveMbr(generation: 1 | 2, sectors: number): Uint8Array {
  const mbr = new Uint8Array(SECTOR);
  const view = new DataView(mbr.buffer);
  const clamp = (n: number): number => Math.min(0xffffffff, n);
  if (generation === 2) {
    mbr.set([0x00, 0x00, 0x02, 0x00, 0xee, 0xff, 0xff, 0xff], 446);
    view.setUint32(446 + 8, 1, true);
    view.setUint32(446 + 12, clamp(sectors - 1), true);
  } else {
    mbr.set([0x80, 0xfe, 0xff, 0xff, 0x07, 0xfe, 0xff, 0xff], 446);
    view.setUint32(446 + 8, PARTITION_OFFSET / SECTOR, true);
    view.setUint32(446 + 12, clamp(sectors - PARTITION_OFFSET / SECTOR), true);
  }
  mbr[510] = 0x55;
  mbr[511] = 0xaa;
  return mbr;
}

function partitionArray(lastUsable: number, partitionGuid: string): Uint8Array {
  const array = new Uint8Array(ENTRY_COUNT * ENTRY_SIZE);
  const view = new DataView(array.buffer);
  array.set(guidBytes(BASIC_DATA), 0);
  array.set(guidBytes(partitionGuid), 16);
  view.setBigUint64(32, BigInt(PARTITION_OFFSET / SECTOR), true);
  view.setBigUint64(40, BigInt(lastUsable), true);
  const name = 'Basic data partition';
  for (let i = 0; i < name.length; i += 1) view.setUint16(56 + i * 2, name.charCodeAt(i), true);
  return array;
}

function gptHeader(fields: {
  myLba: number;
  alternateLba: number;
  lastUsable: number;
  arrayLba: number;
  diskGuid: string;
  arrayCrc: number;
}): Uint8Array {
  const header = new Uint8Array(SECTOR);
  const view = new DataView(header.buffer);
  header.set(new TextEncoder().encode('EFI PART'), 0);
  view.setUint32(8, 0x00010000, true);
  view.setUint32(12, HEADER_SIZE, true);
  view.setBigUint64(24, BigInt(fields.myLba), true);
  view.setBigUint64(32, BigInt(fields.alternateLba), true);
  view.setBigUint64(40, BigInt(2 + ARRAY_SECTORS), true);
  view.setBigUint64(48, BigInt(fields.lastUsable), true);
  header.set(guidBytes(fields.diskGuid), 56);
  view.setBigUint64(72, BigInt(fields.arrayLba), true);
  view.setUint32(80, ENTRY_COUNT, true);
  view.setUint32(84, ENTRY_SIZE, true);
  view.setUint32(88, fields.arrayCrc, true);
  view.setUint32(16, crc32(header.subarray(0, HEADER_SIZE)), true);
  return header;
}

export function partitionTable(
  generation: 1 | 2,
  diskSizeBytes: number,
  guids: { disk: string; partition: string },
): PartitionTableWrite[] {
  const sectors = Math.floor(diskSizeBytes / SECTOR);
  const mbr = protectiveOrActiveMbr(generation, sectors);
  if (generation === 1) return [{ offset: 0, data: mbr }];
  const lastLba = sectors - 1;
  const backupArrayLba = lastLba - ARRAY_SECTORS;
  const lastUsable = backupArrayLba - 1;
  const array = partitionArray(lastUsable, guids.partition);
  const arrayCrc = crc32(array);
  const common = { lastUsable, diskGuid: guids.disk, arrayCrc };
  const primary = gptHeader({ ...common, myLba: 1, alternateLba: lastLba, arrayLba: 2 });
  const backup = gptHeader({
    ...common,
    myLba: lastLba,
    alternateLba: 1,
    arrayLba: backupArrayLba,
  });
  const head = new Uint8Array(SECTOR * (2 + ARRAY_SECTORS));
  head.set(mbr, 0);
  head.set(primary, SECTOR);
  head.set(array, 2 * SECTOR);
  const tail = new Uint8Array(SECTOR * (ARRAY_SECTORS + 1));
  tail.set(array, 0);
  tail.set(backup, ARRAY_SECTORS * SECTOR);
  return [
    { offset: 0, data: head },
    { offset: backupArrayLba * SECTOR, data: tail },
  ];
}
