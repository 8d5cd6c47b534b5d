/** Select-Object, Where-Object, Sort-Object, ForEach-Object. */
import type { BinaryNode } from '../language/ast.js';
import { compare, hasWildcard, order, wildcardToRegExp } from '../runtime/evaluate.js';
import {
  PsObject,
  ScriptBlock,
  customObjectType,
  getMember,
  isTruthy,
  toArray,
  toPsString,
  unwrap,
} from '../runtime/values.js';
import type { Bound, CmdletContext, CmdletDef } from './types.js';

export const cls = (name: string): string => `Microsoft.PowerShell.Commands.${name}`;

/** Pipeline input, or -InputObject when the command starts the pipeline. */
export function inputOf(params: Bound, input: unknown[]): unknown[] {
  return input.length === 0 && 'InputObject' in params ? toArray(params.InputObject) : input;
}

/** Expands wildcards in property names against an object's properties. */
export function expandProperties(object: unknown, names: unknown[]): (string | ScriptBlock)[] {
  const out: (string | ScriptBlock)[] = [];
  for (const name of names) {
    if (name instanceof ScriptBlock) out.push(name);
    else {
      const text = toPsString(name);
      if (hasWildcard(text) && object instanceof PsObject) {
        out.push(...object.propertyNames.filter((p) => wildcardToRegExp(text).test(p)));
      } else out.push(object instanceof PsObject ? (object.key(text) ?? text) : text);
    }
  }
  return out;
}

async function propertyValue(
  ctx: CmdletContext,
  object: unknown,
  property: string | ScriptBlock,
): Promise<unknown> {
  if (property instanceof ScriptBlock) return unwrap(await ctx.runScriptBlock(property, object));
  return getMember(object, property);
}

const selectObject: CmdletDef = {
  name: 'Select-Object',
  aliases: ['select'],
  className: cls('SelectObjectCommand'),
  params: [
    { name: 'Property', type: 'any[]', position: 0 },
    { name: 'ExpandProperty', type: 'string' },
    { name: 'First', type: 'int', netType: 'System.Int32' },
    { name: 'Last', type: 'int', netType: 'System.Int32' },
    { name: 'Skip', type: 'int', netType: 'System.Int32' },
    { name: 'Unique', type: 'switch' },
    { name: 'InputObject', type: 'any', pipelineByValue: true },
  ],
  async end(ctx, params, input) {
    let items = inputOf(params, input);
    if (typeof params.Skip === 'number') items = items.slice(params.Skip);
    if (typeof params.First === 'number') items = items.slice(0, params.First);
    if (typeof params.Last === 'number')
      items = items.slice(Math.max(0, items.length - params.Last));
    const properties = params.Property as unknown[] | undefined;
    const expand = params.ExpandProperty;
    const seen = new Set<string>();
    for (const item of items) {
      let results: unknown[];
      if (typeof expand === 'string') results = toArray(getMember(item, expand));
      else if (properties) {
        const props: Record<string, unknown> = {};
        for (const p of expandProperties(item, properties)) {
          props[p instanceof ScriptBlock ? p.text.trim() : p] = await propertyValue(ctx, item, p);
        }
        results = [new PsObject(customObjectType, props)];
      } else results = [item];
      for (const r of results) {
        if (params.Unique === true) {
          const key = JSON.stringify(r instanceof PsObject ? r.props : toPsString(r));
          if (seen.has(key)) continue;
          seen.add(key);
        }
        ctx.write(r);
      }
    }
  },
};

const operators: BinaryNode['operator'][] = [
  'eq',
  'ne',
  'gt',
  'lt',
  'ge',
  'le',
  'like',
  'notlike',
  'match',
  'notmatch',
  'contains',
  'notcontains',
  'in',
  'notin',
];

const whereObject: CmdletDef = {
  name: 'Where-Object',
  aliases: ['where', '?'],
  className: cls('WhereObjectCommand'),
  params: [
    { name: 'FilterScript', type: 'scriptblock', position: 0 },
    { name: 'Property', type: 'string', position: 0 },
    { name: 'Value', type: 'any', position: 1 },
    ...operators.map((op) => ({
      name: op.length <= 2 ? op.toUpperCase() : op[0]?.toUpperCase() + op.slice(1),
      type: 'switch' as const,
    })),
    { name: 'InputObject', type: 'any', pipelineByValue: true },
  ],
  async end(ctx, params, input) {
    const script = params.FilterScript;
    const property = params.Property;
    const operator = operators.find((op) =>
      Object.keys(params).some((k) => k.toLowerCase() === op && params[k] === true),
    );
    for (const item of inputOf(params, input)) {
      let keep: boolean;
      if (script instanceof ScriptBlock)
        keep = isTruthy(unwrap(await ctx.runScriptBlock(script, item)));
      else if (typeof property === 'string') {
        const value = getMember(item, property);
        keep = operator ? isTruthy(compare(operator, value, params.Value)) : isTruthy(value);
      } else keep = true;
      if (keep) ctx.write(item);
    }
  },
};

const sortObject: CmdletDef = {
  name: 'Sort-Object',
  aliases: ['sort'],
  className: cls('SortObjectCommand'),
  params: [
    { name: 'Property', type: 'any[]', position: 0 },
    { name: 'Descending', type: 'switch' },
    { name: 'Unique', type: 'switch' },
    { name: 'InputObject', type: 'any', pipelineByValue: true },
  ],
  async end(ctx, params, input) {
    const properties = params.Property as unknown[] | undefined;
    const keyed: { item: unknown; keys: unknown[] }[] = [];
    for (const item of inputOf(params, input)) {
      const keys: unknown[] = [];
      if (properties)
        for (const p of expandProperties(item, properties))
          keys.push(await propertyValue(ctx, item, p));
      else keys.push(item instanceof PsObject ? toPsString(item.get('Name') ?? item) : item);
      keyed.push({ item, keys });
    }
    const sign = params.Descending === true ? -1 : 1;
    keyed.sort((a, b) => {
      for (let i = 0; i < a.keys.length; i++) {
        const d = order(a.keys[i], b.keys[i]);
        if (d !== 0 && !Number.isNaN(d)) return sign * d;
      }
      return 0;
    });
    let last: unknown = Symbol('none');
    for (const { item, keys } of keyed) {
      const key = JSON.stringify(keys.map(toPsString));
      if (params.Unique === true && key === last) continue;
      last = key;
      ctx.write(item);
    }
  },
};

const forEachObject: CmdletDef = {
  name: 'ForEach-Object',
  aliases: ['foreach', '%'],
  className: cls('ForEachObjectCommand'),
  params: [
    { name: 'Process', type: 'scriptblock', position: 0 },
    { name: 'MemberName', type: 'string', position: 0 },
    { name: 'InputObject', type: 'any', pipelineByValue: true },
  ],
  async end(ctx, params, input) {
    for (const item of inputOf(params, input)) {
      const block = params.Process;
      if (block instanceof ScriptBlock)
        for (const r of await ctx.runScriptBlock(block, item)) ctx.write(r);
      else if (typeof params.MemberName === 'string')
        for (const r of toArray(getMember(item, params.MemberName))) ctx.write(r);
    }
  },
};

export const utilityCmdlets: CmdletDef[] = [selectObject, whereObject, sortObject, forEachObject];
