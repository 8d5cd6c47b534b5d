/**
 * The trap statement (about_Trap). A `trap` handles the terminating errors of the scope it is
 * written in, wherever in that scope it stands, the statements of loops and `if`s of the same
 * scope included: its body runs with `$_` the error record (in $Error too), then
 *  - with `continue`, the error is not shown and the script goes on after the failing statement;
 *  - with `break`, the error is shown and the scope ends with it (the script, at the top);
 *  - otherwise the error is shown and the script goes on after the failing statement.
 * `trap [Type]` handles that exception type and the types derived from it (as `catch [Type]`).
 * Non-terminating errors are not trapped, unless -ErrorAction Stop makes them terminating.
 */
import type { Statement, TrapNode } from '../language/ast.js';
import { PsError } from '../errors.js';
import type { StatementRunner } from './statements.js';
import { BreakSignal, ContinueSignal, catchesType, isCatchable } from './statements.js';
import type { Variables } from './variables.js';
import { attach, currentCommand, errorInit } from './commandInfo.js';

/** What the trap needs from the runner beyond the statements (pipeline.ts). */
export interface TrapRunner extends StatementRunner {
  /** Shows the record of an error already in $Error (a trap without `continue`). */
  showError(error: PsError, statement: Statement): void;
  /** Handles an error no trap took, as a statement outside any trap would. */
  reportTerminatingError(error: PsError, statement: Statement): void;
}

/** Errors a `break` in a trap passed on: the traps of the same scope do not take them again. */
const passedOn = new WeakMap<PsError, Variables>();

/** Takes the `trap` statements of a statement list into its scope, before any of them runs. */
export function registerTraps(statements: Statement[], variables: Variables): void {
  for (const statement of statements)
    if (statement.kind === 'trap' && !variables.traps.includes(statement))
      variables.traps.push(statement);
}

function trapTakes(trap: TrapNode, error: PsError): boolean {
  return trap.type === null || catchesType([trap.type], error);
}

/** Runs one statement of a scope that has traps. */
export async function runTrapped(
  runner: TrapRunner,
  statement: Statement,
  variables: Variables,
  out: unknown[],
  run: () => Promise<void>,
): Promise<void> {
  let error: PsError;
  runner.tryDepth++;
  try {
    await run();
    return;
  } catch (thrown) {
    if (!(thrown instanceof PsError) || !isCatchable(thrown) || passedOn.get(thrown) === variables)
      throw thrown;
    error = thrown;
  } finally {
    runner.tryDepth--;
  }
  const trap = variables.traps.find((t) => trapTakes(t, error));
  if (!trap) {
    if (runner.tryDepth > 0) throw error;
    runner.reportTerminatingError(error, statement);
    return;
  }
  const record = runner.caughtErrorRecord(error);
  const scope = variables.child();
  scope.set('_', record);
  scope.set('PSItem', record);
  try {
    await runner.runInto(trap.body, scope, out);
  } catch (signal) {
    if (signal instanceof ContinueSignal && signal.label === undefined) return;
    if (signal instanceof BreakSignal && signal.label === undefined) {
      // The error leaves the scope as a terminating error; at the top it ends the script.
      const rethrown = new PsError(error.message, { ...errorInit(error), reach: 'script' });
      const command = currentCommand(error);
      if (command) attach(rethrown, command);
      passedOn.set(rethrown, variables);
      if (runner.tryDepth > 0) throw rethrown;
      runner.reportTerminatingError(rethrown, statement);
    }
    throw signal;
  }
  runner.showError(error, statement);
}
