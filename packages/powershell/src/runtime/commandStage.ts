/**
 * One cmdlet as a pipeline stage: its CmdletContext (output; error, warning, verbose, debug and
 * information records under the command's preferences and variables; ShouldProcess; script blocks),
 * its pipeline input bound item by item, and the engine's errors turned into non-terminating
 * error records.
 */
import { EngineError } from '@hvm/engine';
import type { CommandNode } from '../language/ast.js';
import type { Bound, CmdletContext, CmdletDef } from '../cmdlets/types.js';
import { PsError, fromEngineError } from '../errors.js';
import { bindPipelineInput, takesPipelineInput } from './binding.js';
import type { CommandInfo } from './commandInfo.js';
import { attach, withCommand } from './commandInfo.js';
import { missingMandatory } from './mandatory.js';
import type { RunOptions } from './runOptions.js';
import type { ActionPreference, CommandVariable } from './commonParameters.js';
import { commandPreferences, commandVariable } from './commonParameters.js';
import type { RecordWriter } from './recordWriter.js';
import { ConfirmGate } from './shouldProcess.js';
import { ReturnSignal } from './statements.js';
import type { ScriptBlock } from './values.js';
import { toPsString } from './values.js';
import type { Variables } from './variables.js';
import type { Host } from '@hvm/engine';
import type { Statement } from '../language/ast.js';
import type { ServicesRunner } from '../jobs/services.js';
import { runServices } from '../jobs/services.js';
import { withReadAhead } from './hostReadAhead.js';

/** What a command stage needs from the runner (pipeline.ts). */
export interface StageRunner extends ServicesRunner {
  readonly host: Host;
  readonly width: number;
  readonly options: RunOptions;
  /** Console text as it is written. */
  readonly text: string[];
  readonly writer: RecordWriter;
  /** Console text of a stream, after the top-level output written before it. */
  toConsole(text: string): void;
  runInto(statements: Statement[], variables: Variables, out: unknown[]): Promise<void>;
  /** A non-terminating error of `info`, handled as its -ErrorAction (or the preference) says. */
  nonTerminating(
    error: PsError,
    info: CommandInfo,
    preference: ActionPreference,
    variable: CommandVariable | null,
    yesToAll: { value: boolean },
  ): void | Promise<void>;
}

/**
 * Records a cmdlet writes while it runs. Writing is synchronous for the cmdlet, and a Stop throws
 * inside it; a record that waits on a prompt (Inquire) is settled before the cmdlet's next input
 * item, the records after it queue behind it, and an error from the prompt (Halt) is thrown there.
 */
class PendingWrites {
  /** The write waiting on a prompt; later writes queue behind it. */
  private queue: Promise<void> | null = null;
  private failure: { error: unknown } | null = null;

  /** Runs `write` now (most writes finish at once), or after the prompt before it is answered. */
  track(write: () => void | Promise<void>): void {
    const fail = (error: unknown): void => {
      this.failure ??= { error };
    };
    if (this.queue) {
      this.queue = this.queue.then(write).catch(fail);
      return;
    }
    // A Stop throws here, inside the cmdlet, so it does nothing more (Stop-VM -Name NoSuch, Web-01
    // -ErrorAction Stop leaves Web-01 running).
    const waiting = write();
    if (waiting) this.queue = waiting.catch(fail);
  }

  async settle(): Promise<void> {
    while (this.queue) {
      const queue = this.queue;
      await queue;
      if (this.queue === queue) this.queue = null;
    }
    const failure = this.failure;
    this.failure = null;
    if (failure) throw failure.error;
  }
}

export async function runCommandStage(
  runner: StageRunner,
  node: CommandNode,
  def: CmdletDef,
  bound: Bound,
  input: unknown[] | null,
  variables: Variables,
  output: unknown[] = [],
): Promise<unknown[]> {
  const info: CommandInfo = { invocationName: node.name, def, extent: node };
  const preferences = withCommand(node, def, () =>
    commandPreferences(bound, variables, runner.options.prompt !== undefined),
  );
  const errorVariable = commandVariable(bound, 'ErrorVariable', variables);
  const warnings = {
    preference: preferences.warning,
    variable: commandVariable(bound, 'WarningVariable', variables),
  };
  const informationVariable = commandVariable(bound, 'InformationVariable', variables);
  const information = { preference: preferences.information, variable: informationVariable };
  const outVariable = commandVariable(bound, 'OutVariable', variables);
  const yesToAll = { value: false };
  const pending = new PendingWrites();
  const gate = new ConfirmGate({
    def,
    bound,
    confirmPreference: variables.get('ConfirmPreference'),
    whatIfPreference: variables.get('WhatIfPreference'),
    prompt: runner.options.prompt,
    write: (text) => runner.toConsole(text),
  });
  const ctx: CmdletContext = {
    host: runner.host,
    invocationName: node.name,
    width: runner.width,
    variables,
    write: (value) => {
      output.push(value);
      outVariable?.add(value);
    },
    writeError: (error) =>
      pending.track(() =>
        runner.nonTerminating(error, info, preferences.error, errorVariable, yesToAll),
      ),
    writeWarning: (text) =>
      pending.track(() => runner.writer.writeMessage(3, text, warnings, 'WarningPreference')),
    writeVerbose: (text) =>
      pending.track(() =>
        runner.writer.writeMessage(
          4,
          text,
          { preference: preferences.verbose, variable: null },
          'VerbosePreference',
        ),
      ),
    writeDebug: (text) =>
      pending.track(() =>
        runner.writer.writeMessage(
          5,
          text,
          { preference: preferences.debug, variable: null },
          'DebugPreference',
        ),
      ),
    writeInformation: (messageData, tags) =>
      pending.track(() =>
        runner.writer.writeInformation(
          messageData,
          `${toPsString(messageData)}\n`,
          tags,
          node.name,
          information,
        ),
      ),
    writeHost: (text) =>
      pending.track(() =>
        runner.writer.writeInformation(text.replace(/\n$/, ''), text, ['PSHOST'], node.name, {
          // WriteHostCommand shows its text whatever $InformationPreference says.
          preference:
            typeof bound.InformationAction === 'string' ? preferences.information : 'Continue',
          variable: informationVariable,
        }),
      ),
    shouldProcess: (target, text) => gate.shouldProcess(target, text),
    services: runServices(runner, variables, info),
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
      await pending.settle();
    } catch (error) {
      await pending.settle().catch(() => undefined);
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
  const processItem = async (item: unknown): Promise<void> => {
    variables.budget.step();
    await pending.settle();
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
      return;
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
      return;
    }
    await call(() => process(ctx, params));
  };
  // The reads the next items need, asked in one go where the host can (hostReadAhead.ts).
  const readsOf = def.readAhead?.bind(def);
  if (readsOf) await withReadAhead(runner.host, input, readsOf, processItem);
  else for (const item of input) await processItem(item);
  await pending.settle();
  return output;
}
