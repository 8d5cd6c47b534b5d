/**
 * Runs statements and pipelines: resolves commands, binds parameters, feeds pipeline input, applies
 * -ErrorAction, -WhatIf and -Confirm, and records errors as PowerShell prints them.
 */
import type { Host } from '@hvm/engine';
import { EngineError } from '@hvm/engine';
import type {
  AssignmentNode,
  ParameterNode,
  CommandNode,
  PipelineNode,
  Statement,
} from '../language/ast.js';
import type { Bound, CmdletContext, CmdletDef } from '../cmdlets/types.js';
import { findCmdlet } from '../cmdlets/registry.js';
import type { ErrorRecord } from '../errors.js';
import { PsError, commandErrorRecord, commandNotFound, fromEngineError } from '../errors.js';
import { formatDefault } from '../format/view.js';
import type { EvaluatedArg } from './binding.js';
import { bindCommandLine, bindPipelineInput, takesPipelineInput } from './binding.js';
import { evaluate } from './evaluate.js';
import type { EvalContext } from './evaluate.js';
import { arithmetic } from './arithmetic.js';
import { ErrorRecords } from './errorRecords.js';
import type { Callable, FunctionRunner } from './functions.js';
import {
  blockCallable,
  defaultValue,
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
import { ConfirmGate } from './shouldProcess.js';
import { Variables } from './variables.js';
import type { CommandInfo } from './commandInfo.js';
import { attach, currentCommand, errorInit, withCommand, withCommandAsync } from './commandInfo.js';
import type { RunOptions } from './runOptions.js';
import type { PsObject, ScriptBlock } from './values.js';
import { toPsString, unwrap } from './values.js';

export type { RunOptions } from './runOptions.js';

/** Ends the whole script (-ErrorAction Stop, `throw`). */
class ScriptHalt extends Error {}

export class Runner implements FunctionRunner {
  readonly variables = new Variables();
  readonly text: string[] = [];
  readonly objects: unknown[] = [];
  readonly errors: ErrorRecord[] = [];
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
  private flushTopLevelOutput(): void {
    // Emptied in place: the running statement goes on appending to the same array.
    const output = this.topLevelOutput.splice(0, this.topLevelOutput.length);
    if (output.length === 0) return;
    for (const item of output) this.objects.push(item);
    const formatted = formatDefault(output, this.width);
    if (formatted !== '') this.text.push(formatted);
  }

  /** Top-level statements: each one's output goes through the default formatter. */
  async runTopLevel(statements: Statement[], parameters: ParameterNode[] = []): Promise<void> {
    // A script's param() block: no arguments reach a script here, so each gets its default.
    const ctx = { variables: this.variables, runStatements: this.runStatements };
    for (const parameter of parameters)
      this.variables.set(parameter.name, await defaultValue(parameter, ctx));
    for (const statement of statements) {
      const output: unknown[] = [];
      this.topLevelOutput = output;
      let end = false;
      try {
        await this.runGuardedInto(statement, this.variables, output);
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
    for (const statement of statements) await this.runGuardedInto(statement, variables, out);
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
      if (!isCatchable(error)) this.outOfBudget = true;
      this.record(error, currentCommand(error), statement);
      if (error.reach === 'script') throw new ScriptHalt();
      this.hadTerminatingError = true;
    }
  }

  private recordOf(
    error: PsError,
    command: CommandInfo | undefined,
    fallback: { start: number; end: number },
  ): ErrorRecord {
    return commandErrorRecord(
      this.script,
      error,
      command?.invocationName ?? '',
      command?.def?.name ?? '',
      command?.def?.className ?? '',
      command?.extent ?? fallback,
    );
  }

  private record(error: PsError, command: CommandInfo | undefined, statement: Statement): void {
    this.pushRecord(this.recordOf(error, command, statement), error);
  }

  private pushRecord(record: ErrorRecord, error: PsError): void {
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
    if (statement.kind === 'assignment') return this.assign(statement, variables);
    if (statement.kind !== 'pipeline') return runControl(this, statement, variables, out);
    for (const item of await this.runPipeline(statement, variables)) out.push(item);
  }

  private async runPipeline(statement: PipelineNode, variables: Variables): Promise<unknown[]> {
    const ctx = { variables, runStatements: this.runStatements, invokeBlock: this.invokeBlock };
    const [first, ...rest] = statement.elements;
    if (!first) return [];
    let stream: unknown[];
    const stages: { node: CommandNode; def: CmdletDef; bound: Bound }[] = [];
    const commands = first.kind === 'command' ? [first, ...rest] : rest;
    for (const node of commands) {
      if (node.kind !== 'command') continue;
      const target = node.invoke ? await evaluate(node.invoke, ctx) : node.name;
      const name = typeof target === 'string' ? target : node.name;
      // Functions come before cmdlets (about_Command_Precedence).
      const callable = callableOf(target) ?? callableOf(variables.get(`function:${name}`)) ?? null;
      if (callable) {
        const args = await this.evaluateArgs(node, ctx);
        stages.push({ node, def: this.functionCommand(callable, args, variables), bound: {} });
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
      const value = await evaluate(first.expression, ctx);
      stream = Array.isArray(value)
        ? value
        : value === null
          ? stages.length > 0
            ? []
            : [null]
          : [value];
      if (stages.length === 0) return value === null ? [] : stream;
    } else {
      stream = [];
    }
    for (const [index, stage] of stages.entries()) {
      stream = await this.runCommand(
        stage.node,
        stage.def,
        stage.bound,
        index === 0 && first.kind === 'command' ? null : stream,
        variables,
      );
    }
    return stream;
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
  ): CmdletDef {
    const name = callableName(callable);
    return {
      name,
      className: name,
      params: [],
      end: async (ctx, _bound, input) => {
        for (const item of await invokeCallable(this, callable, args, input, variables))
          ctx.write(item);
      },
    };
  }

  /** `$x = ...`, `$x += ...`, `$i++`; `$null = ...` runs the value and discards it. */
  private async assign(statement: AssignmentNode, variables: Variables): Promise<void> {
    let value: unknown = 1;
    const only = statement.value?.kind === 'pipeline' ? statement.value.elements : [];
    if (only.length === 1 && only[0]?.kind === 'expression-element') {
      // `$a = @()` and `$a = 1, 2` keep the array as it is (about_Assignment_Operators).
      value = await evaluate(only[0].expression, {
        variables,
        runStatements: this.runStatements,
        invokeBlock: this.invokeBlock,
      });
    } else if (statement.value) {
      const out: unknown[] = [];
      await this.runStatementInto(statement.value, variables, out);
      value =
        statement.value.kind === 'assignment'
          ? variables.get(statement.value.variable)
          : unwrap(out);
    }
    if (statement.variable.toLowerCase() === 'null') return;
    if (statement.operator !== '=') {
      const operator = statement.operator === '+=' || statement.operator === '++' ? '+' : '-';
      value = variables.budget.checkValue(
        arithmetic(operator, variables.get(statement.variable), value, variables.budget),
      );
    }
    variables.set(statement.variable, value);
  }

  private async runCommand(
    node: CommandNode,
    def: CmdletDef,
    bound: Bound,
    input: unknown[] | null,
    variables: Variables,
  ): Promise<unknown[]> {
    const output: unknown[] = [];
    const info: CommandInfo = { invocationName: node.name, def, extent: node };
    const errorAction = toPsString(
      bound.ErrorAction ?? variables.get('ErrorActionPreference') ?? 'Continue',
    );
    const gate = new ConfirmGate({
      def,
      bound,
      confirmPreference: variables.get('ConfirmPreference'),
      whatIfPreference: variables.get('WhatIfPreference'),
      prompt: this.options.prompt,
      write: (text) => this.text.push(text),
    });
    const ctx: CmdletContext = {
      host: this.host,
      invocationName: node.name,
      width: this.width,
      variables,
      write: (value) => output.push(value),
      writeError: (error) => this.nonTerminating(error, info, errorAction),
      writeHost: (text) => {
        this.flushTopLevelOutput();
        this.text.push(text);
      },
      writeWarning: (text) => {
        if (bound.WarningAction !== 'SilentlyContinue' && bound.WarningAction !== 'Ignore') {
          this.text.push(`WARNING: ${text}\n`);
        }
      },
      shouldProcess: (target, text) => gate.shouldProcess(target, text),
      runScriptBlock: async (block: ScriptBlock, dollarUnder: unknown) => {
        const scope = variables.child();
        scope.set('_', dollarUnder);
        scope.set('PSItem', dollarUnder);
        const out: unknown[] = [];
        try {
          await this.runInto(block.statements, scope, out);
        } catch (signal) {
          // `return` in a ForEach-Object or Where-Object block ends that block only (about_Return).
          if (!(signal instanceof ReturnSignal)) throw signal;
        }
        return out;
      },
    };
    const call = async (fn: () => Promise<void>): Promise<void> => {
      try {
        await fn();
      } catch (error) {
        if (error instanceof EngineError) ctx.writeError(fromEngineError(error));
        else if (error instanceof PsError && error.reach === 'non-terminating')
          ctx.writeError(error);
        else if (error instanceof PsError) throw attach(error, info);
        else throw error;
      }
    };
    if (def.end) {
      const end = def.end.bind(def);
      await call(() => end(ctx, bound, input ?? []));
      return output;
    }
    const process = def.process?.bind(def);
    if (!process) return output;
    if (input === null) {
      await call(() => process(ctx, bound));
      return output;
    }
    for (const item of input) {
      variables.budget.step();
      const params = takesPipelineInput(def) ? bindPipelineInput(def, bound, item) : null;
      if (!params) {
        ctx.writeError(
          new PsError(
            'The input object cannot be bound to any parameters for the command either because the command does not take pipeline input or the input and its properties do not match any of the parameters that take pipeline input.',
            {
              category: 'InvalidArgument',
              errorId: 'InputObjectNotBound',
              exceptionType: 'ParameterBindingException',
              target: toPsString(item),
              targetType: 'PSObject',
            },
          ),
        );
        continue;
      }
      const stillMissing = missingMandatory(def, params, false);
      if (stillMissing.length > 0) {
        // ParameterBinderStrings.InputObjectMissingMandatory, written by CommandProcessor with the
        // names as BuildMissingParamsString joins them (each after a space).
        ctx.writeError(
          new PsError(
            `The input object cannot be bound because it did not contain the information required to bind all mandatory parameters: ${stillMissing.map((p) => ` ${p.name}`).join('')}`,
            {
              category: 'InvalidArgument',
              errorId: 'InputObjectMissingMandatory',
              exceptionType: 'ParameterBindingException',
              target: toPsString(item),
              targetType: 'PSObject',
            },
          ),
        );
        continue;
      }
      await call(() => process(ctx, params));
    }
    return output;
  }

  private nonTerminating(error: PsError, info: CommandInfo, errorAction: string): void {
    if (errorAction === 'Stop')
      throw attach(new PsError(error.message, { ...errorInit(error), reach: 'script' }), info);
    const record = this.recordOf(error, info, info.extent);
    // SilentlyContinue hides the record but keeps it in $Error; Ignore keeps it nowhere
    // (about_CommonParameters). Both leave $? false.
    if (errorAction === 'SilentlyContinue' || errorAction === 'Ignore') {
      this.errorsRaised++;
      if (errorAction === 'SilentlyContinue') this.records.add(error, record);
      return;
    }
    this.pushRecord(record, error);
  }
}
