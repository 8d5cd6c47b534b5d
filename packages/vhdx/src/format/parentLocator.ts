import { VhdxError } from '../errors.js';
import { decodeUtf16, encodeUtf16, view } from '../util/bytes.js';
import { readGuid, writeGuid } from '../util/guid.js';
import { PARENT_LOCATOR_TYPE_VHDX } from './constants.js';

export interface ParentLocator {
  /** Key/value pairs in stored order. */
  entries: [string, string][];
}

export function locatorValue(loc: ParentLocator, key: string): string | null {
  return loc.entries.find(([k]) => k === key)?.[1] ?? null;
}

export function parseParentLocator(data: Uint8Array, regionOffset: number): ParentLocator {
  const S = 'parent locator';
  const dv = view(data);
  const type = readGuid(data, 0);
  if (type !== PARENT_LOCATOR_TYPE_VHDX) {
    throw new VhdxError(S, `unknown locator type ${type}`, {
      offset: regionOffset,
      field: 'LocatorType',
      code: 'UNSUPPORTED',
    });
  }
  const count = dv.getUint16(18, true);
  if (20 + count * 12 > data.length) {
    throw new VhdxError(S, `KeyValueCount ${count} does not fit in the item`, {
      offset: regionOffset + 18,
      field: 'KeyValueCount',
    });
  }
  const entries: [string, string][] = [];
  for (let i = 0; i < count; i++) {
    const at = 20 + i * 12;
    const ko = dv.getUint32(at, true);
    const vo = dv.getUint32(at + 4, true);
    const kl = dv.getUint16(at + 8, true);
    const vl = dv.getUint16(at + 10, true);
    if (ko + kl > data.length || vo + vl > data.length || kl === 0) {
      throw new VhdxError(S, `entry ${i} lies outside the locator`, {
        offset: regionOffset + at,
        field: 'KeyOffset',
      });
    }
    entries.push([decodeUtf16(data, ko, kl), decodeUtf16(data, vo, vl)]);
  }
  return { entries };
}

export function serializeParentLocator(loc: ParentLocator): Uint8Array {
  const encoded = loc.entries.map(([k, v]) => [encodeUtf16(k), encodeUtf16(v)] as const);
  const header = 20 + 12 * encoded.length;
  const total = header + encoded.reduce((n, [k, v]) => n + k.length + v.length, 0);
  const buf = new Uint8Array(total);
  const dv = view(buf);
  writeGuid(buf, 0, PARENT_LOCATOR_TYPE_VHDX);
  dv.setUint16(18, encoded.length, true);
  let next = header;
  encoded.forEach(([k, v], i) => {
    const at = 20 + i * 12;
    dv.setUint32(at, next, true);
    buf.set(k, next);
    next += k.length;
    dv.setUint32(at + 4, next, true);
    buf.set(v, next);
    next += v.length;
    dv.setUint16(at + 8, k.length, true);
    dv.setUint16(at + 10, v.length, true);
  });
  return buf;
}
