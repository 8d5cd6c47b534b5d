/** Output cmdlets: Format-Table, Format-List, ConvertTo-Json, Measure-Object, Write-Output, Out-Null, Out-String, Write-Host, Get-Command. */
import { convertToJson } from '../format/json.js';
import { FormattedText, formatDefault, listOf, tableOf } from '../format/view.js';
import { PsError } from '../errors.js';
import { PsObject, ScriptBlock, getMember, toArray, toPsString } from '../runtime/values.js';
import type { CmdletDef } from './types.js';
import { cmdlets } from './registry.js';
import { cls, expandProperties, inputOf } from './utility.js';
import { hasWildcard, wildcardToRegExp } from '../runtime/evaluate.js';
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
        Maximum: stat('Maximum', () => values.reduce((a, b) => Math.max(a, b), -Infinity)),
        Minimum: stat('Minimum', () => values.reduce((a, b) => Math.min(a, b), Infinity)),
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
  params: [
    {
      name: 'InputObject',
      type: 'any[]',
      position: 0,
      pipelineByValue: true,
      remainingArguments: true,
    },
  ],
  end(ctx, params, input) {
    for (const item of input) ctx.write(item);
    for (const item of toArray(params.InputObject)) ctx.write(item);
    return Promise.resolve();
  },
};

const outNull: CmdletDef = {
  name: 'Out-Null',
  className: cls('OutNullCommand'),
  params: [{ name: 'InputObject', type: 'any', pipelineByValue: true }],
  end: () => Promise.resolve(),
};

const outString: CmdletDef = {
  name: 'Out-String',
  className: cls('OutStringCommand'),
  params: [
    { name: 'InputObject', type: 'any', pipelineByValue: true },
    { name: 'Width', type: 'int', netType: 'System.Int32' },
  ],
  end(ctx, params, input) {
    const items = inputOf(params, input);
    const width = typeof params.Width === 'number' ? params.Width : ctx.width;
    ctx.write(formatDefault(items, width));
    return Promise.resolve();
  },
};

/** System.ConsoleColor: Write-Host takes the colours; this console shows the text uncoloured. */
const consoleColors = [
  'Black',
  'DarkBlue',
  'DarkGreen',
  'DarkCyan',
  'DarkRed',
  'DarkMagenta',
  'DarkYellow',
  'Gray',
  'DarkGray',
  'Blue',
  'Green',
  'Cyan',
  'Red',
  'Magenta',
  'Yellow',
  'White',
] as const;

const writeHost: CmdletDef = {
  name: 'Write-Host',
  className: cls('WriteHostCommand'),
  params: [
    { name: 'Object', type: 'any[]', position: 0, pipelineByValue: true, remainingArguments: true },
    { name: 'NoNewline', type: 'switch' },
    { name: 'Separator', type: 'any' },
    {
      name: 'ForegroundColor',
      type: 'enum',
      enumValues: consoleColors,
      enumType: 'System.ConsoleColor',
    },
    {
      name: 'BackgroundColor',
      type: 'enum',
      enumValues: consoleColors,
      enumType: 'System.ConsoleColor',
    },
  ],
  end(ctx, params, input) {
    const items = [...toArray(params.Object), ...input];
    const separator = params.Separator === undefined ? ' ' : toPsString(params.Separator);
    ctx.writeHost(items.map(toPsString).join(separator) + (params.NoNewline === true ? '' : '\n'));
    return Promise.resolve();
  },
};

const getCommand: CmdletDef = {
  name: 'Get-Command',
  aliases: ['gcm'],
  className: cls('GetCommandCommand'),
  params: [{ name: 'Name', type: 'string[]', position: 0 }],
  end(ctx, params) {
    const patterns = (params.Name as string[] | undefined) ?? ['*'];
    const rows = [...cmdlets].sort((a, b) => a.name.localeCompare(b.name));
    for (const pattern of patterns) {
      const matching = rows.filter((c) => wildcardToRegExp(pattern).test(c.name));
      if (matching.length === 0 && !hasWildcard(pattern)) {
        ctx.writeError(commandNotFound(pattern));
      }
      for (const c of matching) {
        ctx.write(
          new PsObject('System.Management.Automation.CmdletInfo', {
            CommandType: 'Cmdlet',
            Name: c.name,
            Version: c.className.startsWith('Microsoft.PowerShell') ? '3.1.0.0' : '2.0.0.0',
            Source: c.className.startsWith('Microsoft.PowerShell')
              ? 'Microsoft.PowerShell.Utility'
              : 'Hyper-V',
          }),
        );
      }
    }
    return Promise.resolve();
  },
};

function commandNotFound(name: string): PsError {
  return new PsError(
    `The term '${name}' is not recognized as the name of a cmdlet, function, script file, or operable program. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.`,
    {
      category: 'ObjectNotFound',
      errorId: 'CommandNotFoundException',
      exceptionType: 'CommandNotFoundException',
      target: name,
      targetType: 'String',
    },
  );
}

/** The host's current local time (the simulator's host runs on this machine's clock). */
const getDate: CmdletDef = {
  name: 'Get-Date',
  className: cls('GetDateCommand'),
  params: [],
  end(ctx) {
    ctx.write(new Date());
    return Promise.resolve();
  },
};

export const outputCmdlets: CmdletDef[] = [
  getDate,
  outNull,
  outString,
  writeHost,
  getCommand,
  formatCmdlet('Format-Table', 'ft', 'table'),
  formatCmdlet('Format-List', 'fl', 'list'),
  convertToJsonCmdlet,
  measureObject,
  writeOutput,
];
