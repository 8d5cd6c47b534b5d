/** ConvertTo-Json: objects as JSON, indented with four spaces as PowerShell 7 prints it. */
import { PsHashtable } from '../runtime/hashtable.js';
import { PsObject, TimeSpan, toPsString } from '../runtime/values.js';

/** Objects nested deeper than `depth` become their string form, as ConvertTo-Json -Depth does. */
export function toJsonValue(value: unknown, depth: number): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  if (value instanceof Date) return `/Date(${value.getTime()})/`;
  if (value instanceof TimeSpan) return depth < 0 ? value.toString() : value.toJSON();
  if (Array.isArray(value)) {
    if (depth < 0) return toPsString(value);
    return value.map((v) => toJsonValue(v, depth - 1));
  }
  if (value instanceof PsHashtable) {
    // A hashtable is a JSON object of its keys.
    if (depth < 0) return toPsString(value);
    const out: Record<string, unknown> = {};
    for (const [key, item] of value.entries()) out[toPsString(key)] = toJsonValue(item, depth - 1);
    return out;
  }
  if (value instanceof PsObject) {
    if (depth < 0) return toPsString(value);
    const out: Record<string, unknown> = {};
    for (const key of value.propertyNames) out[key] = toJsonValue(value.props[key], depth - 1);
    return out;
  }
  return toPsString(value);
}

export function convertToJson(values: unknown[], depth: number, compress: boolean): string {
  const data =
    values.length === 1 ? toJsonValue(values[0], depth) : values.map((v) => toJsonValue(v, depth));
  return JSON.stringify(data, null, compress ? undefined : 4);
}
