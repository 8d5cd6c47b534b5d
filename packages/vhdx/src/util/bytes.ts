export function ascii(buf: Uint8Array, offset: number, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCharCode(buf[offset + i] ?? 0);
  return s;
}

export function writeAscii(buf: Uint8Array, offset: number, text: string): void {
  for (let i = 0; i < text.length; i++) buf[offset + i] = text.charCodeAt(i) & 0xff;
}

export function view(buf: Uint8Array): DataView {
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Reads an unsigned 64-bit little-endian value as a number (exact up to 2^53). */
export function readU64(dv: DataView, offset: number): number {
  return dv.getUint32(offset, true) + dv.getUint32(offset + 4, true) * 2 ** 32;
}

export function writeU64(dv: DataView, offset: number, value: number): void {
  dv.setUint32(offset, value % 2 ** 32, true);
  dv.setUint32(offset + 4, Math.floor(value / 2 ** 32), true);
}

export function decodeUtf16(buf: Uint8Array, offset: number, byteLength: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + offset, byteLength).toString('utf16le');
}

export function encodeUtf16(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'utf16le'));
}

/** True when every byte is zero (compared a word at a time where the buffer is aligned). */
export function isAllZero(buf: Uint8Array): boolean {
  const words =
    buf.byteOffset % 4 === 0 && buf.length % 4 === 0
      ? new Uint32Array(buf.buffer, buf.byteOffset, buf.length / 4)
      : buf;
  for (const word of words) if (word !== 0) return false;
  return true;
}

export function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}
