/**
 * Runs statements and pipelines: resolves commands, binds parameters, feeds pipeline input, applies
 * -ErrorAction, -WhatIf and -Confirm, and records errors as PowerShell prints them.
 */
import type { Host } from '@hvm/engine';
import type { ParameterNode, CommandNode, PipelineNode, Statement } from '../language/ast.js';
import type { Bound, CmdletDef } from '../cmdlets/types.js';
import { findCmdlet } from '../cmdlets/registry.js';
import type { ErrorRecord } from '../errors.js';
import type { WriteErrorCaller } from '../errors.js';
import { PsError, commandErrorRecord, commandNotFound, writeErrorRecord } from '../errors.js';
import { formatDefault } from '../format/view.js';
import type { EvaluatedArg } from './binding.js';
import { bindCommandLine } from './binding.js';
import { evaluate } from './evaluate.js';
import type { EvalContext } from './evaluate.js';
import { assign } from './assignment.js';
import { splattedArguments } from './splatting.js';
import type { TrapRunner } from './trap.js';
import { registerTraps, runTrapped } from './trap.js';
import { ErrorRecords } from './errorRecords.js';
import type { ActionPreference, CommandVariable } from './commonParameters.js';
import { RecordWriter } from './recordWriter.js';
import type { ConsoleMessage } from './recordWriter.js';
import { StreamRouting } from './streams.js';
import { consoleItem, redirectedOutput, redirectionFrame } from './redirection.js';
import type { Callable, FunctionRunner } from './functions.js';
import {
  blockCallable,
  callableName,
  callableOf,
  invokeCallable,
  positionalArgs,
} from './functions.js';
import {
  BreakSignal,
  ContinueSignal,
  ExitSignal,
  FlowSignal,
  ReturnSignal,
  isCatchable,
  runControl,
} from './statements.js';
import { missingMandatory, supplyMandatory } from './mandatory.js';
import { expressionHead, streamsTo } from './pipelineOutput.js';
import { invocationInfo } from './invocationInfo.js';
import { runCommandStage } from './commandStage.js';
import type { StageRunner } from './commandStage.js';
import { Variables } from './variables.js';
import { bindScriptParameters } from './scriptArguments.js';
import type { CommandInfo } from './commandInfo.js';
import { attach, currentCommand, withCommand, withCommandAsync } from './commandInfo.js';
import type { RunOptions } from './runOptions.js';
import type { PsObject } from './values.js';
import { ScriptBlock, toPsString } from './values.js';

export type { RunOptions } from './runOptions.js';

/** Ends the whole script (-ErrorAction Stop, `throw`). */
class ScriptHalt extends Error {}

export class Runner implements FunctionRunner, StageRunner, TrapRunner {
  readonly variables = new Variables();
  readonly text: string[] = [];
  readonly objects: unknown[] = [];
  /** The redirections in force (`2>&1`, `3> $null`) around the command running now. */
  readonly routing = new StreamRouting();
  readonly writer: RecordWriter;
  /** The functions and script blocks running, innermost last: who a Write-Error reports. */
  private readonly callers: WriteErrorCaller[] = [];
  readonly errors: ErrorRecord[] = [];
  /** The warning, verbose and debug lines shown, in order. */
  readonly messages: ConsoleMessage[] = [];
  hadTerminatingError = false;
  /** Set by `exit N`. */
  exitCode: number | null = null;
  tryDepth = 0;
  outOfBudget = false;
  callDepth = 0;
  /** Error records written so far, shown or not (`-ErrorAction SilentlyContinue` still counts): `$?`. */
  private errorsRaised = 0;
  private readonly records = new ErrorRecords(this.variables);
  readonly width: number;

  constructor(
    readonly host: Host,
    readonly script: string,
    readonly options: RunOptions,
  ) {
    this.width = options.width ?? 120;
    this.writer = new RecordWriter({
      routing: this.routing,
      prompt: options.prompt,
      toConsole: (text) => this.toConsole(text),
      addToErrorList: (error, record) => this.records.add(error, record),
      countError: () => this.errorsRaised++,
      showMessage: (message) => {
        this.messages.push(message);
        this.toConsole(message.text);
      },
      showError: (record) => {
        this.errors.push(record);
        this.toConsole(record.text);
      },
    });
  }

  /** Console text of a stream, after the top-level output written before it. */
  toConsole(text: string): void {
    this.flushTopLevelOutput();
    this.text.push(text);
  }

  /** `$?`: whether the last statement succeeded (about_Automatic_Variables). */
  get lastSucceeded(): boolean {
    return this.variables.get('?') !== false;
  }

  /** The output of the top-level statement running now, not yet formatted. */
  private topLevelOutput: unknown[] = [];

  /**
   * Formats the top-level output so far. PowerShell's Out-Default writes output as it comes, so an
   * error record or Write-Host text written by a statement comes after the output before it
   * (`foreach ($vm in ...) { $vm.Name; Write-Host '...' }` interleaves, a `finally`'s output comes
   * before the record of the error that left the `try`).
   */
  flushTopLevelOutput(): void {
    // Emptied in place: the running statement goes on appending to the same array.
    const output = this.topLevelOutput.splice(0, this.topLevelOutput.length);
    if (output.length === 0) return;
    // Records that came down the output stream (`2>&1`) are shown as the console shows them, but
    // as output: powershell.exe writes them to stdout, not stderr, so they are not in `errors`.
    let start = 0;
    const formatRun = (end: number): void => {
      const formatted = formatDefault(output.slice(start, end), this.width);
      if (formatted !== '') {
        this.text.push(formatted);
      }
    };
    for (const [index, item] of output.entries()) {
      const shown = consoleItem(item);
      if (!shown) continue;
      formatRun(index);
      start = index + 1;
      this.text.push(shown.text);
    }
    formatRun(output.length);
    for (const item of output) this.objects.push(item);
  }

  /** Top-level statements: each one's output goes through the default formatter. */
  async runTopLevel(statements: Statement[], parameters: ParameterNode[] = []): Promise<void> {
    // A script's param() block: the arguments of a script file (scriptArguments.ts), or defaults.
    const ctx = { variables: this.variables, runStatements: this.runStatements };
    const refused = await bindScriptParameters(parameters, this.options.scriptFile, ctx);
    if (refused) {
      this.pushRecord(refused.record, refused.error);
      this.hadTerminatingError = true;
      this.variables.set('?', false);
      return;
    }
    registerTraps(statements, this.variables);
    for (const statement of statements) {
      const output: unknown[] = [];
      this.topLevelOutput = output;
      let end = false;
      try {
        await this.runInScope(statement, this.variables, output);
      } catch (signal) {
        end = true;
        if (signal instanceof ExitSignal) this.exitCode = signal.code;
        else if (signal instanceof ScriptHalt) {
          this.hadTerminatingError = true;
          this.variables.set('?', false);
        } else if (
          !(signal instanceof BreakSignal) &&
          !(signal instanceof ContinueSignal) &&
          !(signal instanceof ReturnSignal)
        )
          throw signal;
        // `return`, and `break` or `continue` outside a loop, end the script (about_Return,
        // about_Break).
      }
      this.flushTopLevelOutput();
      if (end) return;
    }
  }

  /** Runs statements, returning their output (used by `( )`, `$( )`, `@( )` and script blocks). */
  runStatements = async (statements: Statement[], variables: Variables): Promise<unknown[]> => {
    const output: unknown[] = [];
    await this.runInto(statements, variables, output);
    return output;
  };

  async runInto(statements: Statement[], variables: Variables, out: unknown[]): Promise<void> {
    registerTraps(statements, variables);
    for (const statement of statements) await this.runInScope(statement, variables, out);
  }

  /** One statement of a scope: under the scope's traps (trap.ts), if it has any. */
  private runInScope(statement: Statement, variables: Variables, out: unknown[]): Promise<void> {
    if (variables.traps.length === 0) return this.runGuardedInto(statement, variables, out);
    return runTrapped(this, statement, variables, out, () =>
      this.runGuardedInto(statement, variables, out),
    );
  }

  showError(error: PsError, statement: Statement): void {
    this.flushTopLevelOutput();
    const record = this.recordOf(error, currentCommand(error), error.extent ?? statement);
    this.errors.push(record);
    this.text.push(record.text);
    this.variables.set('?', false);
  }

  /** `$block.Invoke(...)` and `& $block ...`. */
  invokeBlock = (block: ScriptBlock, args: unknown[], variables: Variables): Promise<unknown[]> =>
    invokeCallable(this, blockCallable(block), positionalArgs(args), [], variables);

  caughtErrorRecord(error: PsError): PsObject {
    const command = currentCommand(error);
    this.errorsRaised++;
    return this.records.add(
      error,
      this.recordOf(error, command, error.extent ?? { start: 0, end: 0 }),
    );
  }

  errorOfRecord(value: unknown): PsError | undefined {
    return this.records.errorOf(value);
  }

  /**
   * Runs one statement. A terminating error inside a `try` goes to its `catch`; otherwise a
   * statement-terminating error is shown and the script goes on, a script-terminating one ends it.
   */
  private async runGuardedInto(
    statement: Statement,
    variables: Variables,
    out: unknown[],
  ): Promise<void> {
    const before = this.errorsRaised;
    const simple = statement.kind === 'pipeline' || statement.kind === 'assignment';
    try {
      await this.runStatementInto(statement, variables, out);
      if (simple) this.variables.set('?', this.errorsRaised === before);
      return;
    } catch (thrown) {
      if (thrown instanceof FlowSignal) {
        // break, continue, return, exit
        if (simple || statement.kind === 'flow')
          this.variables.set('?', this.errorsRaised === before);
        throw thrown;
      }
      this.variables.set('?', false);
      if (thrown instanceof ScriptHalt) throw thrown;
      const error =
        thrown instanceof PsError
          ? thrown
          : new PsError(thrown instanceof Error ? thrown.message : String(thrown), {
              category: 'NotSpecified',
              errorId: 'RuntimeException',
              exceptionType: 'RuntimeException',
              reach: 'statement',
            });
      if (this.tryDepth > 0 && isCatchable(error)) throw error;
      this.reportTerminatingError(error, statement);
    }
  }

  /** A terminating error no catch or trap took: its record, then the statement or script ends. */
  reportTerminatingError(error: PsError, statement: Statement): void {
    if (!isCatchable(error)) this.outOfBudget = true;
    this.record(error, currentCommand(error), statement);
    if (error.reach === 'script') throw new ScriptHalt();
    this.hadTerminatingError = true;
  }

  private recordOf(
    error: PsError,
    command: CommandInfo | undefined,
    fallback: { start: number; end: number },
  ): ErrorRecord {
    const preset = presetRecords.get(error);
    if (preset) return preset;
    const extent = error.extent ?? command?.extent ?? fallback;
    const record = error.fromWriteError
      ? writeErrorRecord(this.script, error, this.writeErrorCaller())
      : commandErrorRecord(
          this.script,
          error,
          command?.invocationName ?? '',
          command?.def?.name ?? '',
          command?.def?.className ?? '',
          command?.extent ?? fallback,
        );
    this.records.invocations.set(record, invocationInfo(this.script, extent, command));
    return record;
  }

  /** Who a Write-Error run now reports: the innermost function or script block, or the script. */
  private writeErrorCaller(): WriteErrorCaller {
    return this.callers[this.callers.length - 1] ?? { name: '', prefix: this.script, extent: null };
  }

  private record(error: PsError, command: CommandInfo | undefined, statement: Statement): void {
    this.pushRecord(this.recordOf(error, command, statement), error);
  }

  pushRecord(record: ErrorRecord, error: PsError): void {
    this.flushTopLevelOutput();
    this.errorsRaised++;
    this.records.add(error, record);
    this.errors.push(record);
    this.text.push(record.text);
  }

  private async runStatementInto(
    statement: Statement,
    variables: Variables,
    out: unknown[],
  ): Promise<void> {
    if (statement.kind === 'assignment')
      return assign(
        statement,
        { variables, runStatements: this.runStatements, invokeBlock: this.invokeBlock },
        (value, into) => this.runStatementInto(value, variables, into),
      );
    if (statement.kind !== 'pipeline') return runControl(this, statement, variables, out);
    for (const item of await this.runPipeline(statement, variables, out)) out.push(item);
  }

  /** A pipeline's output; a function or script block at its end writes straight into `out`. */
  private async runPipeline(
    statement: PipelineNode,
    variables: Variables,
    out: unknown[],
  ): Promise<unknown[]> {
    const ctx = { variables, runStatements: this.runStatements, invokeBlock: this.invokeBlock };
    const [first, ...rest] = statement.elements;
    if (!first) return [];
    let stream: unknown[];
    const stages: { node: CommandNode; def: CmdletDef; bound: Bound; sink?: unknown[] }[] = [];
    const commands = first.kind === 'command' ? [first, ...rest] : rest;
    for (const node of commands) {
      if (node.kind !== 'command') continue;
      const target = node.invoke ? await evaluate(node.invoke, ctx) : node.name;
      const name = typeof target === 'string' ? target : node.name;
      // Functions come before cmdlets (about_Command_Precedence).
      const callable = callableOf(target) ?? callableOf(variables.get(`function:${name}`)) ?? null;
      if (callable) {
        const args = await this.evaluateArgs(node, ctx);
        const expectsInput = stages.length > 0 || first.kind === 'expression-element';
        const sink = streamsTo(statement, node, out);
        const def = this.functionCommand(callable, args, variables, expectsInput, {
          name: callable.name,
          prefix:
            callable.name === '' && target instanceof ScriptBlock ? target.text : callable.name,
          extent: node,
          sink,
        });
        stages.push({ node, def, bound: {}, ...(sink ? { sink } : {}) });
        continue;
      }
      const def = findCmdlet(name);
      if (!def)
        throw attach(commandNotFound(toPsString(target), node.invoke ?? node.nameExtent), {
          invocationName: toPsString(target),
          def: undefined,
          extent: node,
        });
      const args = await this.evaluateArgs(node, ctx);
      const pipelineInputExpected = stages.length > 0 || first.kind === 'expression-element';
      const pipelinePosition = stages.length + (first.kind === 'expression-element' ? 2 : 1);
      const commandLine = withCommand(node, def, () => bindCommandLine(def, args));
      const bound = await withCommandAsync(node, def, () =>
        supplyMandatory(
          def,
          commandLine,
          missingMandatory(def, commandLine, pipelineInputExpected),
          pipelinePosition,
          this.options.prompt,
        ),
      );
      stages.push({ node, def, bound });
    }
    if (first.kind === 'expression-element') {
      const head = await expressionHead(this, first, ctx);
      if (stages.length === 0) return head;
      stream = head;
    } else {
      stream = [];
    }
    for (const [index, stage] of stages.entries()) {
      const input = index === 0 && first.kind === 'command' ? null : stream;
      const output: unknown[] = stage.sink ?? [];
      const frame = await redirectionFrame(stage.node.redirections, output, variables, (target) =>
        evaluate(target, ctx),
      );
      await this.routing.within(frame, () =>
        runCommandStage(this, stage.node, stage.def, stage.bound, input, variables, output),
      );
      stream = await redirectedOutput(
        stage.node.redirections,
        output,
        frame,
        variables,
        this.width,
      );
    }
    return stream === out ? [] : stream;
  }

  private async evaluateArgs(node: CommandNode, ctx: EvalContext): Promise<EvaluatedArg[]> {
    const args: EvaluatedArg[] = [];
    for (const arg of node.args) {
      if (arg.kind === 'parameter') {
        args.push({
          kind: 'parameter',
          name: arg.name,
          value: arg.value ? await evaluate(arg.value, ctx) : null,
          hasValue: arg.value !== null,
          extent: arg,
        });
      } else if (arg.kind === 'splat') {
        args.push(...splattedArguments(ctx.variables.get(arg.variable), arg));
      } else {
        args.push({ kind: 'value', value: await evaluate(arg.value, ctx), extent: arg });
      }
    }
    return args;
  }

  /** A function or script block as a pipeline stage: it gets the whole input as `$input`. */
  private functionCommand(
    callable: Callable,
    args: EvaluatedArg[],
    variables: Variables,
    expectsInput: boolean,
    caller: WriteErrorCaller & { sink?: unknown[] | undefined },
  ): CmdletDef {
    const name = callableName(callable);
    return {
      name,
      className: name,
      params: [],
      end: async (ctx, _bound, input) => {
        this.callers.push(caller);
        let output: unknown[];
        try {
          output = await invokeCallable(
            this,
            callable,
            args,
            input,
            variables,
            expectsInput,
            caller.sink,
          );
        } finally {
          this.callers.pop();
        }
        if (output !== caller.sink) for (const item of output) ctx.write(item);
      },
    };
  }

  /** A non-terminating error of `info`, handled as its -ErrorAction (or the preference) says. */
  nonTerminating(
    error: PsError,
    info: CommandInfo,
    preference: ActionPreference,
    variable: CommandVariable | null,
    yesToAll: { value: boolean },
  ): void | Promise<void> {
    const record = this.recordOf(error, info, info.extent);
    const stopped = (thrown: unknown): never => {
      if (!(thrown instanceof PsError)) throw thrown;
      if (thrown.errorId === error.errorId) presetRecords.set(thrown, record);
      throw attach(thrown, info);
    };
    try {
      return this.writer
        .writeError(error, record, { preference, variable }, yesToAll)
        ?.catch(stopped);
    } catch (thrown) {
      return stopped(thrown);
    }
  }
}

/** Records built where the error happened (a Write-Error's caller) for errors thrown later (Stop). */
const presetRecords = new WeakMap<PsError, ErrorRecord>();
