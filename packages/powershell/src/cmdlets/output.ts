/** Output cmdlets: Format-Table, Format-List, ConvertTo-Json, Measure-Object, Write-Output, Out-Null, Out-String, Write-Host, Get-Command. */
import { FormattedText, formatDefault, listOf, tableOf } from '../format/view.js';
import { PsError } from '../errors.js';
import { PsObject, ScriptBlock, toArray, toPsString } from '../runtime/values.js';
import type { CmdletDef } from './types.js';
import { cmdlets } from './registry.js';
import { syntaxLines } from './syntax.js';
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

const writeHost: CmdletDef = {
  name: 'Write-Host',
  className: cls('WriteHostCommand'),
  params: [
    { name: 'Object', type: 'any[]', position: 0, pipelineByValue: true, remainingArguments: true },
    { name: 'NoNewline', type: 'switch' },
  ],
  end(ctx, params, input) {
    const items = [...toArray(params.Object), ...input];
    ctx.writeHost(items.map(toPsString).join(' ') + (params.NoNewline === true ? '' : '\n'));
    return Promise.resolve();
  },
};

const getCommand: CmdletDef = {
  name: 'Get-Command',
  aliases: ['gcm'],
  className: cls('GetCommandCommand'),
  params: [
    { name: 'Name', type: 'string[]', position: 0 },
    { name: 'Syntax', type: 'switch' },
  ],
  end(ctx, params) {
    const patterns = (params.Name as string[] | undefined) ?? ['*'];
    const rows = [...cmdlets].sort((a, b) => a.name.localeCompare(b.name));
    for (const pattern of patterns) {
      const matching = rows.filter((c) => wildcardToRegExp(pattern).test(c.name));
      if (matching.length === 0 && !hasWildcard(pattern)) {
        ctx.writeError(commandNotFound(pattern));
      }
      for (const c of matching) {
        // -Syntax: the syntax lines, a blank line around them (our reading of 5.1's output).
        if (params.Syntax === true) {
          ctx.write(`\n${syntaxLines(c).join('\n\n')}\n`);
          continue;
        }
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

export const outputCmdlets: CmdletDef[] = [
  outNull,
  outString,
  writeHost,
  getCommand,
  formatCmdlet('Format-Table', 'ft', 'table'),
  formatCmdlet('Format-List', 'fl', 'list'),
  writeOutput,
];
