/**
 * `$_.InvocationInfo` of an error record (System.Management.Automation.InvocationInfo, Microsoft's
 * reference page): where the failing command stands in the script. ScriptLineNumber and
 * OffsetInLine are 1-based, Line is the whole source line, PositionMessage the `At line:N char:M`
 * lines of the record (Position.cs), MyCommand the command (null for `throw`), InvocationName the
 * name as typed, ScriptName the script file (empty for a command line).
 */
import type { Extent } from '../language/ast.js';
import { locate, positionLines, scriptFileName } from '../positionMessage.js';
import type { CommandInfo } from './commandInfo.js';
import { PsHashtable } from './hashtable.js';
import { PsObject } from './values.js';

export const invocationInfoType = 'System.Management.Automation.InvocationInfo';

/**
 * `MyCommand`: a CmdletInfo for a cmdlet (Hyper-V's are in the Hyper-V module), a FunctionInfo
 * for a function or script block; as a string it is the command's name (CommandInfo.ToString).
 */
function commandObject(command: CommandInfo): PsObject | null {
  const def = command.def;
  if (!def) return null;
  const cmdlet = def.className.includes('.');
  return new PsObject(
    cmdlet
      ? 'System.Management.Automation.CmdletInfo'
      : 'System.Management.Automation.FunctionInfo',
    {
      Name: def.name,
      CommandType: cmdlet ? 'Cmdlet' : 'Function',
      // Other cmdlets' modules (Utility, Management, Core) are not told apart here.
      ModuleName: def.className.startsWith('Microsoft.HyperV.') ? 'Hyper-V' : '',
    },
  );
}

/** The InvocationInfo of an error raised by `command` (if any) at `extent` of `script`. */
export function invocationInfo(
  script: string,
  extent: Extent,
  command: CommandInfo | undefined,
): PsObject {
  const { line, char, text } = locate(script, extent.start);
  return new PsObject(invocationInfoType, {
    MyCommand: command ? commandObject(command) : null,
    BoundParameters: new PsHashtable(),
    UnboundArguments: [],
    ScriptLineNumber: line,
    OffsetInLine: char,
    HistoryId: 1,
    ScriptName: scriptFileName(script) ?? '',
    Line: text,
    PositionMessage: positionLines(script, extent).join('\n'),
    PSScriptRoot: '',
    PSCommandPath: null,
    InvocationName: command?.invocationName ?? '',
    PipelineLength: 0,
    PipelinePosition: 0,
    ExpectingInput: false,
    CommandOrigin: 'Internal',
  });
}

/** A CmdletInfo or FunctionInfo converts to its name ("$($_.InvocationInfo.MyCommand)"). */
export function isCommandInfoType(typeName: string): boolean {
  return (
    typeName === 'System.Management.Automation.CmdletInfo' ||
    typeName === 'System.Management.Automation.FunctionInfo'
  );
}
