/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as used by every VHDX checksum. */

/** Slice-by-8 tables: `T[k * 256 + b]` is the CRC of byte `b` followed by `k` zero bytes. */
const T = (() => {
  const table = new Uint32Array(8 * 256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[i] = c >>> 0;
  }
  for (let i = 0; i < 256; i++) {
    let c = table[i] ?? 0;
    for (let k = 1; k < 8; k++) {
      c = (table[c & 0xff] ?? 0) ^ (c >>> 8);
      table[k * 256 + i] = c >>> 0;
    }
  }
  return table;
})();

/** Continues a CRC-32C over `data` (`crc` is the running, non-finalised value). */
function update(crc: number, data: Uint8Array): number {
  const t = T;
  const n = data.length;
  const dv = new DataView(data.buffer, data.byteOffset, n);
  const fast = n - (n % 8);
  let c = crc;
  let i = 0;
  for (; i < fast; i += 8) {
    const lo = (c ^ dv.getUint32(i, true)) >>> 0;
    const hi = dv.getUint32(i + 4, true);
    c =
      (t[1792 + (lo & 0xff)] ?? 0) ^
      (t[1536 + ((lo >>> 8) & 0xff)] ?? 0) ^
      (t[1280 + ((lo >>> 16) & 0xff)] ?? 0) ^
      (t[1024 + (lo >>> 24)] ?? 0) ^
      (t[768 + (hi & 0xff)] ?? 0) ^
      (t[512 + ((hi >>> 8) & 0xff)] ?? 0) ^
      (t[256 + ((hi >>> 16) & 0xff)] ?? 0) ^
      (t[hi >>> 24] ?? 0);
  }
  for (; i < n; i++) c = (t[(c ^ (data[i] ?? 0)) & 0xff] ?? 0) ^ (c >>> 8);
  return c >>> 0;
}

const ZERO4 = new Uint8Array(4);

export function crc32c(data: Uint8Array): number {
  return (update(0xffffffff, data) ^ 0xffffffff) >>> 0;
}

/** CRC-32C of `data` with its 4-byte checksum field at `checksumOffset` treated as zero (no copy). */
export function crc32cWithZeroedField(data: Uint8Array, checksumOffset: number): number {
  let c = update(0xffffffff, data.subarray(0, checksumOffset));
  c = update(c, ZERO4.subarray(0, Math.max(0, Math.min(4, data.length - checksumOffset))));
  c = update(c, data.subarray(checksumOffset + 4));
  return (c ^ 0xffffffff) >>> 0;
}
