/**
 * Sort-Object (Microsoft.PowerShell.Utility reference page, Windows PowerShell 5.1): several keys
 * (`Sort-Object State, Name`), hashtable keys with their own order
 * (`@{Expression='State'; Descending=$true}`), -Descending, -Unique, -CaseSensitive. Strings
 * compare as the current culture does: case-insensitively, and with -CaseSensitive a lowercase
 * letter before its uppercase form (en-US culture order). -Top/-Bottom are PowerShell 7 only.
 */
import { order } from '../runtime/evaluate.js';
import { PsObject, toArray, toPsString } from '../runtime/values.js';
import { propertyArguments } from './calculatedProperty.js';
import type { PropertyArgument } from './propertyValues.js';
import { resolveProperties, valueOf } from './propertyValues.js';
import type { CmdletDef } from './types.js';
import { cls, inputOf, step } from './cmdletHelpers.js';

/** Culture order of two strings: letters case-insensitively, then lowercase first when case counts. */
export function compareText(a: string, b: string, caseSensitive: boolean): number {
  const la = a.toLowerCase();
  const lb = b.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  if (!caseSensitive || a === b) return 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? '';
    const y = b[i] ?? '';
    if (x !== y) return x === x.toLowerCase() ? -1 : 1;
  }
  return 0;
}

export function compareKeys(left: unknown, right: unknown, caseSensitive: boolean): number {
  if (typeof left === 'string' && typeof right === 'string')
    return compareText(left, right, caseSensitive);
  const d = order(left, right);
  return Number.isNaN(d) ? 0 : Math.sign(d);
}

interface SortKey {
  argument: PropertyArgument;
  descending: boolean;
}

export const sortObject: CmdletDef = {
  name: 'Sort-Object',
  aliases: ['sort'],
  className: cls('SortObjectCommand'),
  params: [
    { name: 'Property', type: 'any[]', position: 0 },
    { name: 'Descending', type: 'switch' },
    { name: 'Unique', type: 'switch' },
    { name: 'CaseSensitive', type: 'switch' },
    { name: 'InputObject', type: 'any', pipelineByValue: true },
  ],
  async end(ctx, params, input) {
    const descending = params.Descending === true;
    const caseSensitive = params.CaseSensitive === true;
    const keys: SortKey[] | null =
      params.Property === undefined
        ? null
        : propertyArguments(toArray(params.Property), 'sort').map((argument) => ({
            argument,
            descending:
              typeof argument === 'object' && 'descending' in argument
                ? (argument.descending ?? descending)
                : descending,
          }));
    const keyed: { item: unknown; values: unknown[]; orders: boolean[] }[] = [];
    for (const item of inputOf(params, input)) {
      step(ctx);
      const values: unknown[] = [];
      const orders: boolean[] = [];
      if (keys === null) {
        // Without -Property: a Hyper-V object sorts by its Name, anything else by itself.
        values.push(item instanceof PsObject ? toPsString(item.get('Name') ?? item) : item);
        orders.push(descending);
      } else
        for (const key of keys)
          for (const p of resolveProperties(item, [key.argument])) {
            values.push(await valueOf(ctx, item, p.expression));
            orders.push(key.descending);
          }
      keyed.push({ item, values, orders });
    }
    keyed.sort((a, b) => {
      for (let i = 0; i < a.values.length; i++) {
        const d = compareKeys(a.values[i], b.values[i], caseSensitive);
        if (d !== 0) return a.orders[i] === true ? -d : d;
      }
      return 0;
    });
    let previous: unknown[] | null = null;
    for (const entry of keyed) {
      if (
        params.Unique === true &&
        previous !== null &&
        previous.length === entry.values.length &&
        previous.every((v, i) => compareKeys(v, entry.values[i], caseSensitive) === 0)
      )
        continue;
      previous = entry.values;
      ctx.write(entry.item);
    }
  },
};
