/**
 * One cmdlet as a pipeline stage: its CmdletContext (output, error, warning and host text, ShouldProcess,
 * script blocks), its pipeline input bound item by item, and the engine's errors turned into
 * non-terminating error records.
 */
import { EngineError } from '@hvm/engine';
import type { CommandNode } from '../language/ast.js';
import type { Bound, CmdletContext, CmdletDef } from '../cmdlets/types.js';
import { PsError, fromEngineError } from '../errors.js';
import { bindPipelineInput, takesPipelineInput } from './binding.js';
import type { CommandInfo } from './commandInfo.js';
import { attach } from './commandInfo.js';
import { missingMandatory } from './mandatory.js';
import type { RunOptions } from './runOptions.js';
import { ConfirmGate } from './shouldProcess.js';
import { ReturnSignal } from './statements.js';
import type { ScriptBlock } from './values.js';
import { toPsString } from './values.js';
import type { Variables } from './variables.js';
import type { Host } from '@hvm/engine';
import type { Statement } from '../language/ast.js';

/** What a command stage needs from the runner (pipeline.ts). */
export interface StageRunner {
  readonly host: Host;
  readonly width: number;
  readonly options: RunOptions;
  /** Console text as it is written. */
  readonly text: string[];
  /** Formats the output of the top-level statement so far (before text that must follow it). */
  flushTopLevelOutput(): void;
  runInto(statements: Statement[], variables: Variables, out: unknown[]): Promise<void>;
  /** A non-terminating error of `info`, handled as its -ErrorAction says. */
  nonTerminating(error: PsError, info: CommandInfo, errorAction: string): void;
}

export async function runCommandStage(
  runner: StageRunner,
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
    prompt: runner.options.prompt,
    write: (text) => runner.text.push(text),
  });
  const ctx: CmdletContext = {
    host: runner.host,
    invocationName: node.name,
    width: runner.width,
    write: (value) => output.push(value),
    writeError: (error) => runner.nonTerminating(error, info, errorAction),
    writeHost: (text) => {
      runner.flushTopLevelOutput();
      runner.text.push(text);
    },
    writeWarning: (text) => {
      if (bound.WarningAction !== 'SilentlyContinue' && bound.WarningAction !== 'Ignore') {
        runner.text.push(`WARNING: ${text}\n`);
      }
    },
    shouldProcess: (target, text) => gate.shouldProcess(target, text),
    runScriptBlock: async (block: ScriptBlock, dollarUnder: unknown) => {
      const scope = variables.child();
      scope.set('_', dollarUnder);
      scope.set('PSItem', dollarUnder);
      const out: unknown[] = [];
      try {
        await runner.runInto(block.statements, scope, out);
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
      else if (error instanceof PsError && error.reach === 'non-terminating') ctx.writeError(error);
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
