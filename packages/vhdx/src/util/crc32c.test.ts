import { describe, expect, it } from 'vitest';
import { crc32c, crc32cWithZeroedField } from './crc32c.js';

/** Bit-by-bit reference. */
function reference(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('crc32c', () => {
  it('matches the standard check value', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
  });

  it('matches a bitwise reference for every length and alignment up to 40 bytes', () => {
    const buf = new Uint8Array(64);
    for (let i = 0; i < buf.length; i++) buf[i] = (i * 37 + 11) & 0xff;
    for (let start = 0; start < 8; start++) {
      for (let len = 0; len <= 40; len++) {
        const part = buf.subarray(start, start + len);
        expect(crc32c(part)).toBe(reference(part));
      }
    }
  });

  it('treats the checksum field as zero without changing the input', () => {
    const buf = new Uint8Array(4096).map((_, i) => (i * 7) & 0xff);
    const before = buf.slice();
    const zeroed = buf.slice();
    zeroed.fill(0, 4, 8);
    expect(crc32cWithZeroedField(buf, 4)).toBe(reference(zeroed));
    expect(buf).toEqual(before);
  });
});
