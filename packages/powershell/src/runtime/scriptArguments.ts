/**
 * The arguments of a script run as a file, as `powershell.exe -File <path> <arguments>` gives them
 * (about_PowerShell_exe): each argument is a string; `-Name value` and `-Name:value` bind the
 * script's `param()` parameter `Name` (its full name or an unambiguous prefix, about_Parameters), a
 * `[switch]` parameter is set by `-Name` alone, the other arguments bind the remaining parameters in
 * order, and what is left is in `$args`, as for a simple function (functions.ts).
 */
import type { ParameterNode } from '../language/ast.js';
import type { ErrorRecord } from '../errors.js';
import { PsError, categoryInfoText } from '../errors.js';
import type { EvalContext } from './evaluate.js';
import { converted, defaultValue, findParameter, missingArgument } from './functions.js';
import { PsHashtable } from './hashtable.js';

/** A script run from a file: its path as given, and the arguments after it. */
export interface ScriptFile {
  path: string;
  arguments?: readonly string[];
}

/** `-Name` or `-Name:value`: a parameter name, as PowerShell's command line reads one. */
const PARAMETER = /^-([A-Za-z_?][\w-]*)(:(.*))?$/s;

/**
 * Sets the script's parameters (given ones converted to their type, the others their default),
 * `$PSBoundParameters` and `$args` in `ctx.variables`. Answers the error record of an argument that
 * cannot be bound (a parameter without its value, a value its type refuses), or null.
 */
export async function bindScriptParameters(
  parameters: ParameterNode[],
  scriptFile: ScriptFile | undefined,
  ctx: EvalContext,
): Promise<{ record: ErrorRecord; error: PsError } | null> {
  const args = scriptFile?.arguments ?? [];
  const named = new Map<ParameterNode, unknown>();
  const positional: unknown[] = [];
  const bound = new PsHashtable();
  try {
    for (let i = 0; i < args.length; i++) {
      const arg = args[i] ?? '';
      const match = PARAMETER.exec(arg);
      const parameter = match ? findParameter(parameters, match[1] ?? '') : undefined;
      if (!match || !parameter) {
        positional.push(arg);
        continue;
      }
      if (match[2] !== undefined) named.set(parameter, match[3] ?? '');
      else if (parameter.type === 'switch') named.set(parameter, null);
      else {
        const next = args[i + 1];
        if (next === undefined) throw missingArgument(parameter);
        named.set(parameter, next);
        i++;
      }
    }
    for (const parameter of parameters) {
      let value: unknown;
      if (named.has(parameter)) value = converted(parameter, named.get(parameter));
      else if (positional.length > 0 && parameter.type !== 'switch')
        value = converted(parameter, positional.shift());
      else {
        ctx.variables.set(parameter.name, await defaultValue(parameter, ctx));
        continue;
      }
      bound.set(parameter.name, value);
      ctx.variables.set(parameter.name, value);
    }
  } catch (error) {
    if (!(error instanceof PsError) || scriptFile === undefined) throw error;
    return { record: scriptArgumentRecord(scriptFile.path, error), error };
  }
  if (scriptFile !== undefined) {
    ctx.variables.set('PSBoundParameters', bound);
    ctx.variables.set('args', positional);
  }
  return null;
}

/**
 * The record of an argument the script's parameters refuse, as PowerShell shows a script's binding
 * error: `<path> : <message>`, the script's file name in CategoryInfo's brackets and after the
 * FullyQualifiedErrorId (public Windows PowerShell 5.1 transcripts, e.g.
 * `C:\...\check-windows-process.ps1 : Cannot process argument transformation on parameter ...` /
 * `FullyQualifiedErrorId : ParameterArgumentTransformationError,check-windows-process.ps1`). The
 * arguments of `powershell.exe -File` have no script text to point at, so no `At` lines are shown;
 * whether powershell.exe shows a position line here is not confirmed.
 */
function scriptArgumentRecord(path: string, error: PsError): ErrorRecord {
  const fileName = path.split(/[\\/]/).pop() ?? path;
  const categoryInfo = categoryInfoText(error, fileName);
  const fullyQualifiedErrorId = `${error.errorId},${fileName}`;
  const text = [
    `${path} : ${error.message}`,
    `    + CategoryInfo          : ${categoryInfo}`,
    `    + FullyQualifiedErrorId : ${fullyQualifiedErrorId}`,
  ].join('\n');
  return { message: error.message, categoryInfo, fullyQualifiedErrorId, text: `${text}\n` };
}
