/** Where-Object and ForEach-Object, and the helpers the utility cmdlets share. */
import type { BinaryNode } from '../language/ast.js';
import { compare } from '../runtime/evaluate.js';
import { ScriptBlock, getMember, isTruthy, toArray, unwrap } from '../runtime/values.js';
import { PsError } from '../errors.js';
import { callMethod } from '../runtime/methods.js';
import { hasProperty } from './propertyValues.js';
import { selectObject } from './selectObject.js';
import { sortObject } from './sortObject.js';
import type { CmdletDef } from './types.js';

export { cls, inputOf } from './cmdletHelpers.js';
import { cls, inputOf, step } from './cmdletHelpers.js';

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
      step(ctx);
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

const forEachObject: CmdletDef = {
  name: 'ForEach-Object',
  aliases: ['foreach', '%'],
  className: cls('ForEachObjectCommand'),
  params: [
    { name: 'Process', type: 'scriptblock', position: 0 },
    { name: 'MemberName', type: 'string', position: 0 },
    { name: 'Begin', type: 'scriptblock' },
    { name: 'End', type: 'scriptblock' },
    { name: 'ArgumentList', type: 'any[]', aliases: ['Args'] },
    { name: 'InputObject', type: 'any', pipelineByValue: true },
  ],
  async end(ctx, params, input) {
    // -Begin runs once before the first item and -End once after the last (about_ForEach-Object
    // reference, "Use Begin, Process and End script blocks"); $_ is $null in both.
    const run = async (block: unknown, item: unknown): Promise<void> => {
      if (block instanceof ScriptBlock)
        for (const r of await ctx.runScriptBlock(block, item)) ctx.write(r);
    };
    await run(params.Begin, null);
    for (const item of inputOf(params, input)) {
      step(ctx);
      if (params.Process instanceof ScriptBlock) await run(params.Process, item);
      else if (typeof params.MemberName === 'string')
        for (const r of toArray(memberOrMethod(item, params.MemberName, params.ArgumentList)))
          ctx.write(r);
    }
    await run(params.End, null);
  },
};

/**
 * ForEach-Object -MemberName: a property's value, or the method of that name called (`% ToUpper`).
 * A name that is neither gives $null outside strict mode (InternalCommands.cs, ForEachObject:
 * PropertyOrMethodNotFound is written only under Set-StrictMode -Version 2).
 */
function memberOrMethod(item: unknown, name: string, args: unknown): unknown {
  if (hasProperty(item, name)) return getMember(item, name);
  try {
    return callMethod(item, name, toArray(args));
  } catch (error) {
    if (error instanceof PsError && error.errorId === 'MethodNotFound') return null;
    throw error;
  }
}

export const utilityCmdlets: CmdletDef[] = [selectObject, whereObject, sortObject, forEachObject];
