/**
 * Runs statements and pipelines: resolves commands, binds parameters, feeds pipeline input, applies
 * -ErrorAction, -WhatIf and -Confirm, and records errors as PowerShell prints them.
 */
import type { Host } from '@hvm/engine';
import { EngineError } from '@hvm/engine';
import type { CommandNode, Statement } from '../language/ast.js';
import type { Bound, CmdletContext, CmdletDef } from '../cmdlets/types.js';
import { findCmdlet } from '../cmdlets/registry.js';
import type { ErrorRecord } from '../errors.js';
import { PsError, commandErrorRecord, commandNotFound, fromEngineError } from '../errors.js';
import { formatDefault } from '../format/view.js';
import type { EvaluatedArg } from './binding.js';
import { bindCommandLine, bindPipelineInput, takesPipelineInput } from './binding.js';
import { evaluate } from './evaluate.js';
import type { HostPrompter } from './hostUi.js';
import { missingMandatory, supplyMandatory } from './mandatory.js';
import { ConfirmGate } from './shouldProcess.js';
import { Variables } from './variables.js';
import type { RunLimits, StopReason } from './budget.js';
import type { ScriptBlock } from './values.js';
import { toPsString } from './values.js';

export interface RunOptions {
  width?: number;
  /**
   * The user who answers confirmations (ShouldProcess) and mandatory-parameter prompts. Without it
   * the run is non-interactive, like `powershell.exe -NonInteractive`: Remove-VM, Restore-VMSnapshot
   * and the other high-impact cmdlets fail with "PowerShell is in NonInteractive mode." and change
   * nothing unless given `-Confirm:$false` or `-Force`, and a missing mandatory parameter is an error.
   */
  /** Who answers prompts; absent: the run is non-interactive (see hostUi.ts). */
  prompt?: HostPrompter;
  /** This run's limits (budget.ts); unset ones take their defaults. */
  limits?: Partial<RunLimits>;
  /** Polled at every step: a reason ends the run (Ctrl+C, the stop API, the wall-clock limit). */
  shouldStop?: () => StopReason | null;
}

/** Ends the whole script (-ErrorAction Stop). */
class ScriptHalt extends Error {}

export class Runner {
  readonly variables = new Variables();
  readonly text: string[] = [];
  readonly objects: unknown[] = [];
  readonly errors: ErrorRecord[] = [];
  hadTerminatingError = false;
  readonly width: number;

  constructor(
    readonly host: Host,
    readonly script: string,
    readonly options: RunOptions,
  ) {
    this.width = options.width ?? 120;
  }

  /** Top-level statements: each one's output goes through the default formatter. */
  async runTopLevel(statements: Statement[]): Promise<void> {
    try {
      for (const statement of statements) {
        const output = await this.runStatementGuarded(statement, this.variables);
        for (const item of output) this.objects.push(item);
        const formatted = formatDefault(output, this.width);
        if (formatted !== '') this.text.push(formatted);
      }
    } catch (error) {
      if (!(error instanceof ScriptHalt)) throw error;
      this.hadTerminatingError = true;
    }
  }

  /** Runs statements, returning their output (used by `( )`, `$( )`, `@( )` and script blocks). */
  runStatements = async (statements: Statement[], variables: Variables): Promise<unknown[]> => {
    const output: unknown[] = [];
    for (const statement of statements)
      for (const item of await this.runStatementGuarded(statement, variables)) output.push(item);
    return output;
  };

  private async runStatementGuarded(
    statement: Statement,
    variables: Variables,
  ): Promise<unknown[]> {
    try {
      return await this.runStatement(statement, variables);
    } catch (error) {
      if (error instanceof PsError && error.reach !== 'script') {
        this.record(error, currentCommand(error), statement);
        this.hadTerminatingError = true;
        return [];
      }
      if (error instanceof ScriptHalt) throw error;
      if (error instanceof PsError) {
        this.record(error, currentCommand(error), statement);
        throw new ScriptHalt();
      }
      const message = error instanceof Error ? error.message : String(error);
      this.record(
        new PsError(message, {
          category: 'NotSpecified',
          errorId: 'RuntimeException',
          exceptionType: 'RuntimeException',
        }),
        undefined,
        statement,
      );
      this.hadTerminatingError = true;
      return [];
    }
  }

  private record(error: PsError, command: CommandInfo | undefined, statement: Statement): void {
    this.pushRecord(
      commandErrorRecord(
        this.script,
        error,
        command?.invocationName ?? '',
        command?.def?.name ?? '',
        command?.def?.className ?? '',
        command?.extent ?? statement,
      ),
    );
  }

  private pushRecord(record: ErrorRecord): void {
    this.errors.push(record);
    this.text.push(record.text);
  }

  private async runStatement(statement: Statement, variables: Variables): Promise<unknown[]> {
    if (statement.kind === 'assignment') {
      const output = await this.runStatement(statement.value, variables);
      variables.set(
        statement.variable,
        output.length === 0 ? null : output.length === 1 ? output[0] : output,
      );
      return [];
    }
    const ctx = { variables, runStatements: this.runStatements };
    const [first, ...rest] = statement.elements;
    if (!first) return [];
    let stream: unknown[];
    const stages: { node: CommandNode; def: CmdletDef; bound: Bound }[] = [];
    const commands = first.kind === 'command' ? [first, ...rest] : rest;
    for (const node of commands) {
      if (node.kind !== 'command') continue;
      const def = findCmdlet(node.name);
      if (!def)
        throw attach(commandNotFound(node.name, node.nameExtent), {
          invocationName: node.name,
          def: undefined,
          extent: node,
        });
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
      write: (value) => output.push(value),
      writeError: (error) => this.nonTerminating(error, info, errorAction),
      writeHost: (text) => this.text.push(text),
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
        return this.runStatements(block.statements, scope);
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
    if (errorAction === 'SilentlyContinue' || errorAction === 'Ignore') return;
    if (errorAction === 'Stop')
      throw attach(new PsError(error.message, { ...errorInit(error), reach: 'script' }), info);
    this.pushRecord(
      commandErrorRecord(
        this.script,
        error,
        info.invocationName,
        info.def?.name ?? '',
        info.def?.className ?? '',
        info.extent,
      ),
    );
  }
}

interface CommandInfo {
  invocationName: string;
  def: CmdletDef | undefined;
  extent: { start: number; end: number };
}

const commandOf = new WeakMap<PsError, CommandInfo>();

function attach(error: PsError, info: CommandInfo): PsError {
  if (!commandOf.has(error)) commandOf.set(error, info);
  return error;
}

function currentCommand(error: PsError): CommandInfo | undefined {
  return commandOf.get(error);
}

function withCommand<T>(node: CommandNode, def: CmdletDef, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof PsError) attach(error, { invocationName: node.name, def, extent: node });
    throw error;
  }
}

async function withCommandAsync<T>(
  node: CommandNode,
  def: CmdletDef,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof PsError) attach(error, { invocationName: node.name, def, extent: node });
    throw error;
  }
}

function errorInit(error: PsError): ConstructorParameters<typeof PsError>[1] {
  return {
    category: error.category,
    errorId: error.errorId,
    exceptionType: error.exceptionType,
    target: error.target,
    targetType: error.targetType,
    ...(error.extent ? { extent: error.extent } : {}),
  };
}
