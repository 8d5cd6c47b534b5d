/**
 * Group-Object (Microsoft.PowerShell.Utility reference page, Windows PowerShell 5.1): groups in the
 * order their first member arrives, named by the property values joined with ", ";
 * case-insensitive unless -CaseSensitive; -NoElement drops the Group property
 * (GroupInfoNoElement); -AsHashTable returns one hashtable keyed by the value (-AsString: by its
 * text).
 */
import { PsObject, toArray, toPsString } from '../runtime/values.js';
import { groupInfoNoElementType, groupInfoType } from '../format/utilityViews.js';
import { newHashtable } from '../runtime/hashtable.js';
import { propertyArguments } from './calculatedProperty.js';
import { cls, inputOf, step } from './cmdletHelpers.js';
import { resolveProperties, valueOf } from './propertyValues.js';
import type { CmdletDef } from './types.js';

interface Group {
  name: string;
  values: unknown[];
  items: unknown[];
}

export const groupObject: CmdletDef = {
  name: 'Group-Object',
  aliases: ['group'],
  className: cls('GroupObjectCommand'),
  params: [
    { name: 'Property', type: 'any[]', position: 0 },
    { name: 'NoElement', type: 'switch' },
    { name: 'AsHashTable', type: 'switch' },
    { name: 'AsString', type: 'switch' },
    { name: 'CaseSensitive', type: 'switch' },
    { name: 'InputObject', type: 'any', pipelineByValue: true },
  ],
  async end(ctx, params, input) {
    const args =
      params.Property === undefined ? null : propertyArguments(toArray(params.Property), 'group');
    const caseSensitive = params.CaseSensitive === true;
    const groups = new Map<string, Group>();
    for (const item of inputOf(params, input)) {
      step(ctx);
      const values: unknown[] = [];
      if (args === null) values.push(item);
      else
        for (const p of resolveProperties(item, args))
          values.push(await valueOf(ctx, item, p.expression));
      const name = values.map(toPsString).join(', ');
      const key = caseSensitive ? name : name.toLowerCase();
      const group = groups.get(key);
      if (group) group.items.push(item);
      else groups.set(key, { name, values, items: [item] });
    }
    if (params.AsHashTable === true) {
      // Keyed by the grouping value itself (one property) or, with -AsString or several
      // properties, by the group's name.
      const byText = params.AsString === true || (args !== null && args.length !== 1);
      const entries = [...groups.values()].map((g): [unknown, unknown] => [
        byText ? g.name : g.values[0],
        params.NoElement === true ? g.items.length : g.items,
      ]);
      if (groups.size > 0) ctx.write(newHashtable(entries));
      return;
    }
    for (const g of groups.values()) {
      ctx.write(
        params.NoElement === true
          ? new PsObject(groupInfoNoElementType, { Count: g.items.length, Name: g.name })
          : new PsObject(groupInfoType, {
              Values: g.values,
              Count: g.items.length,
              Group: g.items,
              Name: g.name,
            }),
      );
    }
  },
};
