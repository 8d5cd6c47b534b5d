/**
 * The Hyper-V PowerShell cmdlets over the engine: `runPowerShell` parses and runs a script and returns
 * the console text, the output objects and the error records.
 */
import type { Host } from '@hvm/engine';
import { cmdlets, findCmdlet } from './cmdlets/registry.js';
import { allParams } from './cmdlets/types.js';
import type { ErrorRecord } from './errors.js';
import { PsParseError, parseErrorRecord } from './errors.js';
import { parseScript } from './language/parser.js';
import type { RunOptions } from './runtime/pipeline.js';
import { Runner } from './runtime/pipeline.js';
import { FormattedText } from './format/view.js';
import { toPlain } from './runtime/values.js';

export type { ErrorRecord } from './errors.js';
export type { RunOptions } from './runtime/pipeline.js';
export type { HostPrompt, HostPromptAnswer, HostPrompter, PromptChoice } from './runtime/hostUi.js';

export interface PowerShellResult {
  /** The console text: formatted output, warnings, What if lines and error records, in order. */
  output: string;
  /** Output objects as JSON-able values (objects become property bags, dates ISO strings). */
  objects: unknown[];
  errors: ErrorRecord[];
  /** A parse error, a statement-terminating error (unknown command or parameter, binding) or -ErrorAction Stop. */
  hadTerminatingError: boolean;
}

export async function runPowerShell(
  host: Host,
  script: string,
  options: RunOptions = {},
): Promise<PowerShellResult> {
  let ast;
  try {
    ast = parseScript(script);
  } catch (error) {
    if (!(error instanceof PsParseError)) throw error;
    const record = parseErrorRecord(script, error);
    return { output: record.text, objects: [], errors: [record], hadTerminatingError: true };
  }
  const runner = new Runner(host, script, options);
  await runner.runTopLevel(ast.statements);
  return {
    output: runner.text.join(''),
    objects: runner.objects.map((o) => (o instanceof FormattedText ? o.text : toPlain(o))),
    errors: runner.errors,
    hadTerminatingError: runner.hadTerminatingError,
  };
}

/** Cmdlet names, sorted (aliases not included). */
export function cmdletNames(): string[] {
  return cmdlets.map((c) => c.name).sort((a, b) => a.localeCompare(b));
}

/**
 * Tab completion at `cursor`: cmdlet names (and aliases) for the command word, `-Parameter` names
 * after a dash. Returns the candidate words that replace the word under the cursor.
 */
export function completeCommand(partial: string, cursor: number): string[] {
  const before = partial.slice(0, Math.max(0, Math.min(cursor, partial.length)));
  const segment = before.split(/[|;\n{(]/).pop() ?? '';
  const words = segment.trimStart().split(/\s+/);
  const current = words[words.length - 1] ?? '';
  const lower = current.toLowerCase();
  if (words.length <= 1) {
    const names = cmdlets.flatMap((c) => [
      c.name,
      ...(c.aliases ?? []).filter((a) => a.includes('-')),
    ]);
    return names
      .filter((n) => n.toLowerCase().startsWith(lower))
      .sort((a, b) => a.localeCompare(b));
  }
  if (!current.startsWith('-')) return [];
  const def = findCmdlet(words[0] ?? '');
  if (!def) return [];
  return allParams(def)
    .map((p) => `-${p.name}`)
    .filter((n) => n.toLowerCase().startsWith(lower));
}
