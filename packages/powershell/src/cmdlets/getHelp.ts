/**
 * Get-Help (alias `help`): a cmdlet's NAME, SYNOPSIS (helpSynopses.ts, Microsoft's words), SYNTAX
 * generated from its parameter sets (syntax.ts), ALIASES and REMARKS; -Full and -Parameter add the
 * PARAMETERS blocks. The section titles and the parameter labels are PowerShell's
 * HelpDisplayStrings.resx; the layout (four-space indents, blank lines between sections) is our
 * reading of the Windows PowerShell 5.1 help view. This product has no help files, so there is
 * no DESCRIPTION, EXAMPLES or RELATED LINKS. `Get-Help` alone, or with a wildcard, lists the
 * matching commands (Name, Category, Module, Synopsis) as `Get-Help *` does.
 */
import { PsError } from '../errors.js';
import { FormattedText } from '../format/view.js';
import { hasWildcard, wildcardToRegExp } from '../runtime/evaluate.js';
import { PsObject, toPsString } from '../runtime/values.js';
import { cls } from './cmdletHelpers.js';
import { synopses } from './helpSynopses.js';
import { cmdlets, findCmdlet } from './registry.js';
import { syntaxLines, syntaxType } from './syntax.js';
import type { CmdletDef, ParamDef } from './types.js';

const indent = '    ';

/** Wraps text at the console width, continuation lines indented as the first. */
function wrap(text: string, prefix: string, width: number): string[] {
  const room = Math.max(20, width - 1 - prefix.length);
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > room) {
      out.push(prefix + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') out.push(prefix + line);
  return out;
}

export function moduleOf(def: CmdletDef): string {
  if (!def.className.startsWith('Microsoft.PowerShell')) return 'Hyper-V';
  return ['Where-Object', 'ForEach-Object', 'Out-Null', 'Get-Command', 'Get-Help'].includes(
    def.name,
  )
    ? 'Microsoft.PowerShell.Core'
    : 'Microsoft.PowerShell.Utility';
}

function parameterBlock(def: CmdletDef, param: ParamDef): string[] {
  const mandatory = (def.parameterSets ?? []).some((s) => s.mandatory.includes(param.name));
  const pipeline = [
    param.pipelineByValue === true ? 'ByValue' : null,
    param.pipelineByPropertyName === true ? 'ByPropertyName' : null,
  ].filter((p) => p !== null);
  const type = param.type === 'switch' ? '' : ` <${syntaxType(param)}>`;
  return [
    `${indent}-${param.name}${type}`,
    '',
    `${indent}${indent}Required?                    ${mandatory ? 'true' : 'false'}`,
    `${indent}${indent}Position?                    ${param.position === undefined ? 'Named' : String(param.position)}`,
    `${indent}${indent}Default value`,
    `${indent}${indent}Accept pipeline input?       ${pipeline.length > 0 ? `true (${pipeline.join(', ')})` : 'false'}`,
    `${indent}${indent}Accept wildcard characters?  false`,
    ...(param.aliases && param.aliases.length > 0
      ? [`${indent}${indent}Aliases                      ${param.aliases.join(', ')}`]
      : []),
    '',
  ];
}

const commonParametersText = [
  `${indent}<CommonParameters>`,
  `${indent}${indent}This cmdlet supports the common parameters: Verbose, Debug,`,
  `${indent}${indent}ErrorAction, ErrorVariable, WarningAction, WarningVariable,`,
  `${indent}${indent}OutBuffer, PipelineVariable, and OutVariable. For more information, see`,
  `${indent}${indent}about_CommonParameters (https://go.microsoft.com/fwlink/?LinkID=113216).`,
  '',
];

export function helpText(
  def: CmdletDef,
  options: { full: boolean; parameters: string[] | null },
  width: number,
): string {
  if (options.parameters !== null) {
    const matchers = options.parameters.map((p) => wildcardToRegExp(p));
    const params = def.params.filter((p) => matchers.some((m) => m.test(p.name)));
    return ['', ...params.flatMap((p) => parameterBlock(def, p)), ''].join('\n');
  }
  const synopsis = synopses[def.name];
  const out = ['', 'NAME', `${indent}${def.name}`, ''];
  if (synopsis !== undefined) out.push('SYNOPSIS', ...wrap(synopsis, indent, width), '', '');
  out.push('SYNTAX');
  for (const line of syntaxLines(def)) out.push(...wrap(line, indent, width), '');
  out.push('');
  if (options.full) {
    out.push('PARAMETERS');
    for (const p of def.params) out.push(...parameterBlock(def, p));
    out.push(...commonParametersText, '');
  }
  out.push('ALIASES');
  const aliases = def.aliases ?? [];
  out.push(...(aliases.length > 0 ? aliases.map((a) => `${indent}${a}`) : [`${indent}None`]));
  out.push('', '', 'REMARKS');
  if (!options.full)
    out.push(`${indent}For technical information, type: "get-help ${def.name} -full".`);
  out.push('', '');
  return out.join('\n');
}

function helpNotFound(name: string): PsError {
  return new PsError(
    `Get-Help could not find ${name} in a help file in this session. To download updated help topics type: "Update-Help". To get help online, search for the help topic in the TechNet library at https://go.microsoft.com/fwlink/?LinkID=107116.`,
    {
      category: 'ResourceUnavailable',
      errorId: 'HelpNotFound',
      exceptionType: 'HelpNotFoundException',
    },
  );
}

export const getHelp: CmdletDef = {
  name: 'Get-Help',
  aliases: ['help'],
  className: cls('GetHelpCommand'),
  params: [
    { name: 'Name', type: 'string', position: 0 },
    { name: 'Full', type: 'switch' },
    { name: 'Detailed', type: 'switch' },
    { name: 'Parameter', type: 'string[]' },
  ],
  end(ctx, params) {
    const name = typeof params.Name === 'string' ? params.Name : '*';
    const def = hasWildcard(name) ? undefined : findCmdlet(name);
    if (def) {
      const parameters = params.Parameter === undefined ? null : (params.Parameter as string[]);
      ctx.write(
        new FormattedText(helpText(def, { full: params.Full === true, parameters }, ctx.width)),
      );
      return Promise.resolve();
    }
    const matcher = wildcardToRegExp(name);
    const matching = [...cmdlets]
      .filter((c) => matcher.test(c.name))
      .sort((a, b) => a.name.localeCompare(b.name));
    if (matching.length === 0) {
      ctx.writeError(helpNotFound(toPsString(name)));
      return Promise.resolve();
    }
    for (const c of matching)
      ctx.write(
        new PsObject('HelpInfoShort', {
          Name: c.name,
          Category: 'Cmdlet',
          Module: moduleOf(c),
          Synopsis: synopses[c.name] ?? '',
        }),
      );
    return Promise.resolve();
  },
};
