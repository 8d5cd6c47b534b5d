/**
 * The Hyper-V PowerShell cmdlets over the engine: `runPowerShell` parses and runs a script and returns
 * the console text, the output objects and the error records.
 */
import { setAutomaticVariables } from './runtime/automaticVariables.js';
import type { Host } from '@hvm/engine';
import { cmdlets, findCmdlet } from './cmdlets/registry.js';
import { allParams } from './cmdlets/types.js';
import type { ErrorRecord } from './errors.js';
import type { RemoteObjectTypes } from './cmdlets/remoteOutcome.js';
import type { ConsoleMessage } from './runtime/recordWriter.js';
import { PsError, PsParseError, commandErrorRecord, parseErrorRecord } from './errors.js';
import { parseScript } from './language/parser.js';
import type { RunOptions } from './runtime/pipeline.js';
import { Runner } from './runtime/pipeline.js';
import { FormattedText } from './format/view.js';
import { PsObject, toPlain } from './runtime/values.js';
import {
  RunBudget,
  limitExceeded,
  omittedOutputNotice,
  pipelineStoppedErrorId,
} from './runtime/budget.js';
import { PowerShellSession } from './jobs/session.js';
import { restoreSession, saveSession } from './jobs/sessionState.js';
import { jobAwarePrompter } from './jobs/asJob.js';
import { nameScriptFile } from './positionMessage.js';
import { attachRunFiles, filesOfScope } from './files/runFiles.js';

export type { ErrorRecord } from './errors.js';
export type { ConsoleMessage } from './runtime/recordWriter.js';
export type { RunOptions } from './runtime/pipeline.js';
export type {
  RemoteComputers,
  RemoteErrorRecord,
  RemoteObjectTypes,
  RemoteOutcome,
} from './cmdlets/remoteOutcome.js';
export type { ScriptFile } from './runtime/scriptArguments.js';
export type { RunLimits, StopReason } from './runtime/budget.js';
export { defaultRunLimits, scriptLimitErrorId } from './runtime/budget.js';
export type { HostPrompt, HostPromptAnswer, HostPrompter, PromptChoice } from './runtime/hostUi.js';
export { PowerShellSession, defaultSessionLimits } from './jobs/session.js';
export type { SessionLimits } from './jobs/session.js';
export type { RunClock } from './jobs/clock.js';
export { SteppingClock, realClock } from './jobs/clock.js';
export type { FileLimits, ScriptFileSystem, ScriptItem, WriteMode } from './files/fileSystem.js';
export { FileFault, defaultFileLimits } from './files/fileSystem.js';
export { confinedFileSystem, localFileSystem } from './files/nodeFileSystem.js';
export { confinedDriveName, confinedRoot } from './files/scriptPaths.js';
export { READ_AHEAD_WINDOW, hostReadAheadKey } from './runtime/hostReadAhead.js';
export type { HostRead, HostReadAhead, ReadAheadMethod } from './runtime/hostReadAhead.js';

export interface PowerShellResult {
  /** The console text: formatted output, warnings, What if lines and error records, in order. */
  output: string;
  /** Output objects as JSON-able values (objects become property bags, dates ISO strings). */
  objects: unknown[];
  /**
   * The type names of `objects`, in runs (`[name, count]`, null for a value that is not an
   * object), so that another server's `-ComputerName` can rebuild them as the same types. Set by
   * `run()` when there are objects.
   */
  objectTypes?: RemoteObjectTypes;
  errors: ErrorRecord[];
  /**
   * The warning, verbose and debug lines of `output` (`WARNING: ...`), in order, so that a console
   * can colour them as PowerShell does. Always set by `run()`.
   */
  messages?: ConsoleMessage[];
  /** A parse error, a statement-terminating error (unknown command or parameter, binding) or -ErrorAction Stop. */
  hadTerminatingError: boolean;
  /**
   * The exit code `powershell.exe -Command` would give (behaviour spec R29; PowerShell/PowerShell#13501,
   * about_Pwsh): `exit N` gives N; otherwise 1 when the last statement's `$?` is false (a parse
   * error, an error record, a script-terminating error), else 0. Always set by `run()`.
   */
  exitCode?: number;
  /**
   * The script's location when it ended (`Files:\`, a folder of hvps's machine), for a console's
   * `PS <location>>` prompt; absent when the run had no file system.
   */
  location?: string;
}

export async function runPowerShell(
  host: Host,
  script: string,
  options: RunOptions = {},
): Promise<PowerShellResult> {
  return new PowerShellRun(host, script, options).run();
}

/**
 * One run of a script, whose console text so far can be read while it runs (an interactive host
 * shows it before a prompt). `run()` never throws for script errors, an exceeded limit or a stop.
 */
export class PowerShellRun {
  private runner: Runner | null = null;
  /** Set when the run ended because it was stopped (Ctrl+C): the pipeline stopped, no record shown. */
  stopped = false;

  constructor(
    private readonly host: Host,
    private readonly script: string,
    private readonly options: RunOptions = {},
    /** Told each piece of console text soon after it is written (at the run's next step). */
    private readonly onOutput: ((text: string) => void) | null = null,
  ) {}

  /** The console text written so far. */
  outputSoFar(): string {
    return this.runner?.text.join('') ?? '';
  }

  async run(): Promise<PowerShellResult> {
    const scriptFile = this.options.scriptFile;
    const release = scriptFile ? nameScriptFile(this.script, scriptFile.path) : null;
    try {
      return await this.runScript();
    } finally {
      release?.();
    }
  }

  private async runScript(): Promise<PowerShellResult> {
    let ast;
    try {
      ast = parseScript(this.script);
    } catch (error) {
      if (!(error instanceof PsParseError)) throw error;
      const record = parseErrorRecord(this.script, error);
      return {
        output: record.text,
        objects: [],
        errors: [record],
        messages: [],
        hadTerminatingError: true,
        exitCode: 1,
      };
    }
    const session = this.options.session ?? new PowerShellSession();
    const prompt = this.options.prompt;
    const runner = new Runner(this.host, this.script, {
      ...this.options,
      session,
      ...(prompt ? { prompt: jobAwarePrompter(prompt) } : {}),
    });
    this.runner = runner;
    restoreSession(session, runner.variables);
    const budget = new RunBudget(this.options.limits, this.options.shouldStop, this.onOutput);
    budget.watchOutput(runner);
    runner.variables.budget = budget;
    attachRunFiles(runner.variables, session, this.options.fileSystem);
    setAutomaticVariables(runner.variables, this.host, this.options);
    try {
      await runner.runTopLevel(ast.statements, ast.parameters);
    } finally {
      saveSession(session, runner.variables, this.options.session === undefined);
    }
    this.dropPipelineStopped(runner);
    this.boundOutput(runner, budget);
    const withObjects = this.options.objects !== false && runner.objects.length > 0;
    return {
      output: runner.text.join(''),
      objects: withObjects
        ? runner.objects.map((o) => (o instanceof FormattedText ? o.text : toPlain(o)))
        : [],
      ...(withObjects ? { objectTypes: typeRuns(runner.objects) } : {}),
      errors: runner.errors,
      messages: runner.messages,
      hadTerminatingError: runner.hadTerminatingError,
      exitCode: runner.exitCode ?? (runner.lastSucceeded ? 0 : 1),
      ...this.locationOf(runner),
    };
  }

  private locationOf(runner: Runner): { location?: string } {
    const files = filesOfScope(runner.variables);
    return files ? { location: files.location() } : {};
  }

  /** A stopped pipeline prints nothing in PowerShell's console; its record is not shown either. */
  private dropPipelineStopped(runner: Runner): void {
    const at = runner.errors.findIndex((e) =>
      e.fullyQualifiedErrorId.startsWith(pipelineStoppedErrorId),
    );
    if (at === -1) return;
    const [record] = runner.errors.splice(at, 1);
    const textAt = record ? runner.text.lastIndexOf(record.text) : -1;
    if (textAt !== -1) runner.text.splice(textAt, 1);
    this.stopped = true;
  }

  /**
   * The last statement's output is checked here: console text over the limit is cut, and the run
   * ends with a line saying how much was not shown; objects over theirs end it with the record.
   */
  private boundOutput(runner: Runner, budget: RunBudget): void {
    try {
      budget.checkOutput();
    } catch (error) {
      if (!(error instanceof PsError)) throw error;
      runner.objects.splice(budget.limits.maxOutputObjects);
      const record = commandErrorRecord(this.script, error, '', '', '', {
        start: 0,
        end: 0,
      });
      runner.errors.push(record);
      runner.text.push(record.text);
      runner.hadTerminatingError = true;
      runner.variables.set('?', false);
    }
    if (budget.omittedChars > 0) {
      const text = omittedOutputNotice(
        budget.omittedChars,
        budget.limits.maxOutputChars,
        runner.objects.length,
      );
      runner.messages.push({ stream: 'warning', text });
      runner.text.push(text);
    }
  }
}

/** The type names of output objects in runs of the same name (PsObject's type; null otherwise). */
function typeRuns(objects: readonly unknown[]): [string | null, number][] {
  const runs: [string | null, number][] = [];
  for (const object of objects) {
    const name = object instanceof PsObject ? object.typeName : null;
    const last = runs[runs.length - 1];
    if (last?.[0] === name) last[1]++;
    else runs.push([name, 1]);
  }
  return runs;
}

/**
 * The record of a limit the host of a run enforces from outside (the wall-clock limit ending a
 * run that could not stop by itself): this product's own error, as budget.ts words them.
 */
export function scriptLimitRecord(script: string, message: string): ErrorRecord {
  return commandErrorRecord(script, limitExceeded(message), '', '', '', { start: 0, end: 0 });
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
