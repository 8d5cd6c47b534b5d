import { VhdxError } from '../errors.js';
import {
  ascii,
  decodeUtf16,
  encodeUtf16,
  view,
  writeAscii,
  writeU64,
  readU64,
} from '../util/bytes.js';
import { crc32c, crc32cWithZeroedField } from '../util/crc32c.js';
import { readGuid, writeGuid, ZERO_GUID } from '../util/guid.js';
import { HEADER_SIZE, SIG_FILE, SIG_HEADER, KiB } from './constants.js';

export interface VhdxHeader {
  sequenceNumber: bigint;
  fileWriteGuid: string;
  dataWriteGuid: string;
  logGuid: string;
  logVersion: number;
  version: number;
  logLength: number;
  logOffset: number;
}

export function parseFileIdentifier(buf: Uint8Array): { creator: string } {
  if (ascii(buf, 0, 8) !== SIG_FILE) {
    throw new VhdxError('file type identifier', 'signature is not "vhdxfile"; not a VHDX file', {
      offset: 0,
      field: 'Signature',
    });
  }
  const raw = decodeUtf16(buf, 8, 512);
  const nul = raw.indexOf('\u0000');
  return { creator: nul >= 0 ? raw.slice(0, nul) : raw };
}

export function serializeFileIdentifier(creator: string): Uint8Array {
  const buf = new Uint8Array(64 * KiB);
  writeAscii(buf, 0, SIG_FILE);
  buf.set(encodeUtf16(creator).subarray(0, 510), 8);
  return buf;
}

/** Returns the header when its signature and checksum are right, otherwise null. */
export function parseHeader(buf: Uint8Array): VhdxHeader | null {
  if (buf.length < HEADER_SIZE || ascii(buf, 0, 4) !== SIG_HEADER) return null;
  const dv = view(buf);
  const block = buf.subarray(0, HEADER_SIZE);
  if (dv.getUint32(4, true) !== crc32cWithZeroedField(block, 4)) return null;
  return {
    sequenceNumber: dv.getBigUint64(8, true),
    fileWriteGuid: readGuid(buf, 16),
    dataWriteGuid: readGuid(buf, 32),
    logGuid: readGuid(buf, 48),
    logVersion: dv.getUint16(64, true),
    version: dv.getUint16(66, true),
    logLength: dv.getUint32(68, true),
    logOffset: readU64(dv, 72),
  };
}

export function serializeHeader(h: VhdxHeader): Uint8Array {
  const buf = new Uint8Array(HEADER_SIZE);
  const dv = view(buf);
  writeAscii(buf, 0, SIG_HEADER);
  dv.setBigUint64(8, h.sequenceNumber, true);
  writeGuid(buf, 16, h.fileWriteGuid);
  writeGuid(buf, 32, h.dataWriteGuid);
  writeGuid(buf, 48, h.logGuid);
  dv.setUint16(64, h.logVersion, true);
  dv.setUint16(66, h.version, true);
  dv.setUint32(68, h.logLength, true);
  writeU64(dv, 72, h.logOffset);
  dv.setUint32(4, crc32c(buf), true);
  return buf;
}

export function isLogEmpty(h: VhdxHeader): boolean {
  return h.logGuid === ZERO_GUID;
}

/** Picks the current header: the only valid one, or the valid one with the larger sequence number. */
export function chooseCurrentHeader(
  h1: VhdxHeader | null,
  h2: VhdxHeader | null,
): { header: VhdxHeader; slot: 0 | 1 } {
  if (h1 && h2)
    return h2.sequenceNumber > h1.sequenceNumber
      ? { header: h2, slot: 1 }
      : { header: h1, slot: 0 };
  if (h1) return { header: h1, slot: 0 };
  if (h2) return { header: h2, slot: 1 };
  throw new VhdxError('header', 'neither header 1 (64 KiB) nor header 2 (128 KiB) is valid', {
    offset: 64 * KiB,
    field: 'Checksum',
  });
}
