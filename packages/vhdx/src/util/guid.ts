import { randomUUID } from 'node:crypto';

const GUID_TEXT =
  /^\{?([0-9a-fA-F]{8})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{12})\}?$/;

export const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

export function newGuid(): string {
  return randomUUID();
}

/** Normalises GUID text (braces optional, any case) to lowercase without braces, or null when it is not a GUID. */
export function normalizeGuid(text: string): string | null {
  const m = GUID_TEXT.exec(text.trim());
  if (!m) return null;
  return `${m[1]}-${m[2]}-${m[3]}-${m[4]}-${m[5]}`.toLowerCase();
}

function hexByte(b: number): string {
  return b.toString(16).padStart(2, '0');
}

/** Reads a GUID stored in Microsoft mixed-endian order (first three fields little-endian). */
export function readGuid(buf: Uint8Array, offset: number): string {
  const b = (i: number): number => buf[offset + i] ?? 0;
  const order = [3, 2, 1, 0, -1, 5, 4, -1, 7, 6, -1, 8, 9, -1, 10, 11, 12, 13, 14, 15];
  return order.map((i) => (i < 0 ? '-' : hexByte(b(i)))).join('');
}

export function writeGuid(buf: Uint8Array, offset: number, guid: string): void {
  const norm = normalizeGuid(guid);
  if (norm === null) throw new TypeError(`Not a GUID: ${guid}`);
  const hex = norm.replace(/-/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < 16; i++) bytes.push(parseInt(hex.slice(i * 2, i * 2 + 2), 16));
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  for (let i = 0; i < 16; i++) buf[offset + i] = bytes[order[i] ?? 0] ?? 0;
}

export function guidEquals(a: string, b: string): boolean {
  const na = normalizeGuid(a);
  return na !== null && na === normalizeGuid(b);
}
