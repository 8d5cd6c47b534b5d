/**
 * ConvertTo-Json as Windows PowerShell 5.1 writes it. 5.1 serializes with .NET's
 * JavaScriptSerializer and then indents the text itself: `"key":  value` (a colon and two
 * spaces), and a nested object or array indented from the column of its opening bracket, which
 * its closing bracket lines up under:
 *
 *     {
 *         "Name":  "Web-01",
 *         "Tags":  [
 *                      "a"
 *                  ]
 *     }
 *
 * JavaScriptSerializer escapes `<`, `>`, `&` and `'` as \u003c... and writes a DateTime as
 * "\/Date(<ms since 1970>)\/". Objects nested deeper than -Depth become their string form, with
 * no warning (the truncation warning came with PowerShell 7.1). Our enums are their names, where
 * 5.1 writes an enum's number (a VM's State Running is 2 there), and `Get-Date | ConvertTo-Json`
 * gives the date string where 5.1 wraps it with its DisplayHint and DateTime note properties.
 */
import { PsHashtable } from '../runtime/hashtable.js';
import { PsObject, TimeSpan, toPsString } from '../runtime/values.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Objects nested deeper than `depth` become their string form, as ConvertTo-Json -Depth does. */
export function toJsonValue(value: unknown, depth: number): Json {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  if (value instanceof Date) return `\\/Date(${value.getTime()})\\/`;
  if (value instanceof TimeSpan) return depth < 0 ? value.toString() : value.toJSON();
  if (Array.isArray(value)) {
    if (depth < 0) return toPsString(value);
    return value.map((v) => toJsonValue(v, depth - 1));
  }
  if (value instanceof PsHashtable) {
    // A hashtable is a JSON object of its keys.
    if (depth < 0) return toPsString(value);
    const out: Record<string, Json> = {};
    for (const [key, item] of value.entries()) out[toPsString(key)] = toJsonValue(item, depth - 1);
    return out;
  }
  if (value instanceof PsObject) {
    if (depth < 0) return toPsString(value);
    const out: Record<string, Json> = {};
    for (const key of value.propertyNames) out[key] = toJsonValue(value.props[key], depth - 1);
    return out;
  }
  return toPsString(value);
}

/** A JSON string literal with JavaScriptSerializer's escapes. A date's `\/` is kept as it is. */
function quote(text: string): string {
  const date = /^\\\/Date\(-?\d+\)\\\/$/.test(text);
  if (date) return `"${text}"`;
  return JSON.stringify(text).replace(
    /[<>&']/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function compact(value: Json): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return quote(value);
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return `[${value.map(compact).join(',')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${quote(k)}:${compact(v)}`)
    .join(',')}}`;
}

/** 5.1's layout: `column` is where the value's first character is written. */
function pretty(value: Json, column: number): string {
  if (value === null || typeof value !== 'object') return compact(value);
  const inner = ' '.repeat(column + 4);
  const close = ' '.repeat(column);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[\n\n' + close + ']';
    return `[\n${value.map((v) => inner + pretty(v, column + 4)).join(',\n')}\n${close}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{\n\n' + close + '}';
  const lines = entries.map(([k, v]) => {
    const prefix = `${quote(k)}:  `;
    return inner + prefix + pretty(v, column + 4 + prefix.length);
  });
  return `{\n${lines.join(',\n')}\n${close}}`;
}

export function convertToJson(values: unknown[], depth: number, compress: boolean): string {
  const data: Json =
    values.length === 1 ? toJsonValue(values[0], depth) : values.map((v) => toJsonValue(v, depth));
  return compress ? compact(data) : pretty(data, 0);
}
