/** CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as used by every VHDX checksum. */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
})();

export function crc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = (TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** CRC-32C of `data` with its 4-byte checksum field at `checksumOffset` treated as zero. */
export function crc32cWithZeroedField(data: Uint8Array, checksumOffset: number): number {
  const copy = data.slice();
  copy.fill(0, checksumOffset, checksumOffset + 4);
  return crc32c(copy);
}
