/** Output cmdlets: Write-Output, Out-Null, Out-String, Write-Host, Get-Command. */
import { formatDefault } from '../format/view.js';
import { PsError } from '../errors.js';
import { PsObject, toArray, toPsString } from '../runtime/values.js';
import type { CmdletDef } from './types.js';
import { cmdlets } from './registry.js';
import { syntaxLines } from './syntax.js';
import { cls, inputOf } from './cmdletHelpers.js';
import { hasWildcard, wildcardToRegExp } from '../runtime/evaluate.js';
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
    { name: 'Stream', type: 'switch' },
  ],
  end(ctx, params, input) {
    const items = inputOf(params, input);
    const width = typeof params.Width === 'number' ? Math.max(1, params.Width) : ctx.width;
    const text = formatDefault(items, width);
    // -Stream: one string per line (Out-String reference, -Stream).
    if (params.Stream === true)
      for (const line of text.replace(/\n$/, '').split('\n')) ctx.write(line);
    else ctx.write(text);
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

export const outputCmdlets: CmdletDef[] = [outNull, outString, writeHost, getCommand, writeOutput];
