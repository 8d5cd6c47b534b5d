/**
 * Select-Object (Microsoft.PowerShell.Utility reference page, Windows PowerShell 5.1): -Property with
 * wildcards and calculated properties, -ExcludeProperty, -ExpandProperty (alone or with -Property),
 * -First, -Last, -Skip, -Index, -Unique. Messages: SelectObjectStrings.resx.
 */
import { PsError } from '../errors.js';
import { PsObject, customObjectType, toArray, toPsString } from '../runtime/values.js';
import { propertyArguments } from './calculatedProperty.js';
import { hasProperty, resolveProperties, valueOf } from './propertyValues.js';
import type { Bound, CmdletContext, CmdletDef } from './types.js';
import { cls, inputOf, step } from './cmdletHelpers.js';
import { wildcardToRegExp } from '../runtime/evaluate.js';

/** The items -First, -Last, -Skip and -Index keep, in input order. */
export function selectItems(items: unknown[], params: Bound): unknown[] {
  if (Array.isArray(params.Index)) {
    const wanted = new Set(params.Index.map(Number));
    return items.filter((_, i) => wanted.has(i));
  }
  const skip = typeof params.Skip === 'number' ? Math.max(0, params.Skip) : 0;
  if (typeof params.Last === 'number') {
    // With -Last, -Skip counts from the end (Select-Object reference, -Skip).
    const end = Math.max(0, items.length - skip);
    const kept = items.slice(Math.max(0, end - params.Last), end);
    return typeof params.First === 'number' ? [...items.slice(0, params.First), ...kept] : kept;
  }
  const rest = items.slice(skip);
  return typeof params.First === 'number' ? rest.slice(0, Math.max(0, params.First)) : rest;
}

/**
 * A key for -Unique. Strings compare case-sensitively, objects without case
 * (PowerShell/PowerShell#12059: 'derp','Derp' | Select-Object -Unique keeps both, two custom
 * objects with Name derp and Derp keep one, in 5.1 as in 7).
 */
function uniqueKey(value: unknown): string {
  if (value instanceof PsObject)
    return JSON.stringify(
      value.propertyNames.map((k) => [k.toLowerCase(), toPsString(value.props[k]).toLowerCase()]),
    );
  return JSON.stringify([typeof value, toPsString(value)]);
}

function propertyNotFound(name: string, target: unknown): PsError {
  return new PsError(`Property "${name}" cannot be found.`, {
    category: 'InvalidArgument',
    errorId: 'ExpandPropertyNotFound',
    exceptionType: 'PSArgumentException',
    target: toPsString(target),
    targetType:
      target instanceof PsObject ? 'PSObject' : typeof target === 'string' ? 'String' : 'PSObject',
  });
}

async function selectProperties(
  ctx: CmdletContext,
  item: unknown,
  params: Bound,
): Promise<Record<string, unknown>> {
  const args = propertyArguments(toArray(params.Property), 'select');
  const excluded = toArray(params.ExcludeProperty).map((p) => wildcardToRegExp(toPsString(p)));
  const props: Record<string, unknown> = {};
  for (const property of resolveProperties(item, args)) {
    if (excluded.some((m) => m.test(property.name))) continue;
    if (Object.keys(props).some((k) => k.toLowerCase() === property.name.toLowerCase())) {
      if (typeof property.source === 'string') continue; // a wildcard repeating a name
      throw new PsError(
        `The property cannot be processed because the property "${property.name}" already exists.`,
        {
          category: 'InvalidOperation',
          errorId: 'AlreadyExistingUserSpecifiedPropertyNoExpand',
          exceptionType: 'PSArgumentException',
          target: toPsString(item),
          targetType: 'PSObject',
        },
      );
    }
    props[property.name] = await valueOf(ctx, item, property.expression);
  }
  return props;
}

async function expand(ctx: CmdletContext, item: unknown, params: Bound): Promise<unknown[]> {
  const name = toPsString(params.ExpandProperty);
  if (!hasProperty(item, name)) {
    ctx.writeError(propertyNotFound(name, item));
    return [];
  }
  const values = toArray(await valueOf(ctx, item, name));
  if (params.Property === undefined) return values;
  // With -Property, the selected properties are added to each expanded object (reference page,
  // example "Expand a property with other properties").
  const extra = await selectProperties(ctx, item, params);
  return values.map((v) =>
    v instanceof PsObject ? new PsObject(v.typeName, { ...v.props, ...extra }) : v,
  );
}

export const selectObject: CmdletDef = {
  name: 'Select-Object',
  aliases: ['select'],
  className: cls('SelectObjectCommand'),
  params: [
    { name: 'Property', type: 'any[]', position: 0 },
    { name: 'ExcludeProperty', type: 'string[]' },
    { name: 'ExpandProperty', type: 'string' },
    { name: 'First', type: 'int', netType: 'System.Int32' },
    { name: 'Last', type: 'int', netType: 'System.Int32' },
    { name: 'Skip', type: 'int', netType: 'System.Int32' },
    { name: 'Index', type: 'any[]' },
    { name: 'Unique', type: 'switch' },
    { name: 'InputObject', type: 'any', pipelineByValue: true },
  ],
  async end(ctx, params, input) {
    const seen = new Set<string>();
    for (const item of selectItems(inputOf(params, input), params)) {
      step(ctx);
      let results: unknown[];
      if (params.ExpandProperty !== undefined) results = await expand(ctx, item, params);
      else if (params.Property !== undefined)
        results = [new PsObject(customObjectType, await selectProperties(ctx, item, params))];
      else results = [item];
      for (const r of results) {
        if (params.Unique === true) {
          const key = uniqueKey(r);
          if (seen.has(key)) continue;
          seen.add(key);
        }
        ctx.write(r);
      }
    }
  },
};
