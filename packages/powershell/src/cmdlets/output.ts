/** Output cmdlets: Format-Table, Format-List, ConvertTo-Json, Measure-Object, Write-Output. */
import { convertToJson } from '../format/json.js';
import { FormattedText, listOf, tableOf } from '../format/view.js';
import { PsObject, ScriptBlock, getMember, toArray, toPsString } from '../runtime/values.js';
import type { CmdletDef } from './types.js';
import { cls, expandProperties, inputOf } from './utility.js';
function formatCmdlet(name: string, alias: string, kind: 'table' | 'list'): CmdletDef {
  return {
    name,
    aliases: [alias],
    className: cls(`${name.replace('-', '')}Command`),
    params: [
      { name: 'Property', type: 'any[]', position: 0 },
      { name: 'AutoSize', type: 'switch' },
      { name: 'InputObject', type: 'any', pipelineByValue: true },
    ],
    end(ctx, params, input) {
      const items = inputOf(params, input);
      const properties = params.Property as unknown[] | undefined;
      let i = 0;
      while (i < items.length) {
        const first = items[i];
        let j = i;
        if (first instanceof PsObject) {
          while (
            j < items.length &&
            items[j] instanceof PsObject &&
            (items[j] as PsObject).typeName === first.typeName
          )
            j++;
          const group = items.slice(i, j) as PsObject[];
          const names = properties
            ? expandProperties(first, properties).map((p) =>
                p instanceof ScriptBlock ? p.text.trim() : p,
              )
            : null;
          ctx.write(
            new FormattedText(
              kind === 'table'
                ? tableOf(group, names, ctx.width)
                : listOf(group, names ?? (kind === 'list' ? null : null)),
            ),
          );
        } else {
          j = i + 1;
          ctx.write(new FormattedText(`${toPsString(first)}\n`));
        }
        i = j;
      }
      return Promise.resolve();
    },
  };
}

const convertToJsonCmdlet: CmdletDef = {
  name: 'ConvertTo-Json',
  className: cls('ConvertToJsonCommand'),
  params: [
    { name: 'InputObject', type: 'any', position: 0, pipelineByValue: true },
    { name: 'Depth', type: 'int', netType: 'System.Int32' },
    { name: 'Compress', type: 'switch' },
  ],
  end(ctx, params, input) {
    const items = inputOf(params, input);
    if (items.length === 0) return Promise.resolve();
    const depth = typeof params.Depth === 'number' ? params.Depth : 2;
    ctx.write(convertToJson(items, depth, params.Compress === true));
    return Promise.resolve();
  },
};

const measureObject: CmdletDef = {
  name: 'Measure-Object',
  aliases: ['measure'],
  className: cls('MeasureObjectCommand'),
  params: [
    { name: 'Property', type: 'string', position: 0 },
    { name: 'Sum', type: 'switch' },
    { name: 'Average', type: 'switch' },
    { name: 'Maximum', type: 'switch' },
    { name: 'Minimum', type: 'switch' },
    { name: 'InputObject', type: 'any', pipelineByValue: true },
  ],
  end(ctx, params, input) {
    const items = inputOf(params, input);
    const property = params.Property;
    const values = items.map((i) =>
      Number(typeof property === 'string' ? getMember(i, property) : i),
    );
    const stat = (flag: string, fn: () => number): number | null =>
      params[flag] === true && values.length > 0 ? fn() : null;
    ctx.write(
      new PsObject('Microsoft.PowerShell.Commands.GenericMeasureInfo', {
        Count: items.length,
        Average: stat('Average', () => values.reduce((a, b) => a + b, 0) / values.length),
        Sum: stat('Sum', () => values.reduce((a, b) => a + b, 0)),
        Maximum: stat('Maximum', () => Math.max(...values)),
        Minimum: stat('Minimum', () => Math.min(...values)),
        Property: typeof property === 'string' ? property : null,
      }),
    );
    return Promise.resolve();
  },
};

const writeOutput: CmdletDef = {
  name: 'Write-Output',
  aliases: ['echo', 'write'],
  className: cls('WriteOutputCommand'),
  params: [{ name: 'InputObject', type: 'any[]', position: 0, pipelineByValue: true }],
  end(ctx, params, input) {
    for (const item of input) ctx.write(item);
    for (const item of toArray(params.InputObject)) ctx.write(item);
    return Promise.resolve();
  },
};

export const outputCmdlets: CmdletDef[] = [
  formatCmdlet('Format-Table', 'ft', 'table'),
  formatCmdlet('Format-List', 'fl', 'list'),
  convertToJsonCmdlet,
  measureObject,
  writeOutput,
];
