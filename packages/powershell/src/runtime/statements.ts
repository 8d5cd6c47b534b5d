/**
 * The statements beyond pipelines and assignments: `if`, the loops, `break`, `continue`, `return`,
 * `exit`, `throw`, `try`/`catch`/`finally` and `function` definitions. Every loop iteration is a
 * step of the run's budget (budget.ts), so `while ($true) {}` ends at the step limit; the errors of
 * this product's limits and a stopped run cannot be caught by `catch`, so no script escapes them.
 */
import type {
  CatchClause,
  DoNode,
  FlowNode,
  ForNode,
  ForeachNode,
  IfNode,
  Statement,
  TryNode,
} from '../language/ast.js';
import { PsError } from '../errors.js';
import { pipelineStoppedErrorId, scriptLimitErrorId } from './budget.js';
import { toNumberOrFail } from './arithmetic.js';
import type { Callable } from './functions.js';
import type { PsObject } from './values.js';
import { runSwitch } from './switchStatement.js';
import { isTruthy, toArray, toPsString, unwrap } from './values.js';
import type { Variables } from './variables.js';

/** A change of the flow of control, thrown up to the statement that handles it (not an error). */
export class FlowSignal extends Error {}
/** `break [label]` (about_Break): ends the innermost loop, or the loop with that label. */
export class BreakSignal extends FlowSignal {
  constructor(readonly label?: string) {
    super(label === undefined ? 'break' : `break ${label}`);
  }
}
/** `continue [label]` (about_Continue): the next iteration of the innermost (or labelled) loop. */
export class ContinueSignal extends FlowSignal {
  constructor(readonly label?: string) {
    super(label === undefined ? 'continue' : `continue ${label}`);
  }
}

/** Whether a `break`/`continue` is meant for the loop labelled `label` (labels ignore case). */
export function signalFor(
  signal: BreakSignal | ContinueSignal,
  label: string | undefined,
): boolean {
  return signal.label === undefined || signal.label.toLowerCase() === label?.toLowerCase();
}
/** `return` (about_Return): leaves the function, script block or script. */
export class ReturnSignal extends FlowSignal {}
/** `exit N` (about_Language_Keywords, exit): ends the script; N is the process exit code. */
export class ExitSignal extends FlowSignal {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** What the statements need from the runner (pipeline.ts). */
export interface StatementRunner {
  /** Runs statements in order, each one's output appended to `out` as it is produced. */
  runInto(statements: Statement[], variables: Variables, out: unknown[]): Promise<void>;
  /** Try blocks being run: while above 0, terminating errors go to the `catch` instead of the console. */
  tryDepth: number;
  /** Set once a limit of the run was exceeded or the run was stopped: no `finally` runs after it. */
  readonly outOfBudget: boolean;
  /** `$_` in a catch block: the error record of `error`, also added to `$Error`. */
  caughtErrorRecord(error: PsError): PsObject;
  /** The error a `throw $_` rethrows, when `value` is a caught error record. */
  errorOfRecord(value: unknown): PsError | undefined;
}

export type ControlStatement = Exclude<Statement, { kind: 'pipeline' } | { kind: 'assignment' }>;

export async function runControl(
  runner: StatementRunner,
  statement: ControlStatement,
  variables: Variables,
  out: unknown[],
): Promise<void> {
  switch (statement.kind) {
    case 'if':
      return runIf(runner, statement, variables, out);
    case 'foreach':
      return runForeach(runner, statement, variables, out);
    case 'for':
      return runFor(runner, statement, variables, out);
    case 'while':
      return loop(runner, variables, out, statement.body, statement.label, {
        before: () => conditionHolds(runner, statement.condition, variables),
      });
    case 'switch':
      return runSwitch(runner, statement, variables, out);
    case 'trap':
      // Traps are taken from their statement list before it runs (trap.ts).
      return;
    case 'do':
      return runDo(runner, statement, variables, out);
    case 'flow':
      return runFlow(runner, statement, variables, out);
    case 'try':
      return runTry(runner, statement, variables, out);
    case 'function': {
      const callable: Callable = {
        name: statement.name,
        parameters: statement.parameters,
        body: statement.body,
        ...(statement.begin ? { begin: statement.begin } : {}),
        ...(statement.process ? { process: statement.process } : {}),
        ...(statement.attributes ? { attributes: statement.attributes } : {}),
      };
      variables.set(`function:${statement.name}`, callable);
      return;
    }
  }
}

/** A condition's value: the statement's output as a variable would receive it. */
export async function conditionValue(
  runner: StatementRunner,
  condition: Statement,
  variables: Variables,
): Promise<unknown> {
  const out: unknown[] = [];
  await runner.runInto([condition], variables, out);
  if (condition.kind === 'assignment') return variables.get(condition.variable);
  return unwrap(out);
}

async function conditionHolds(
  runner: StatementRunner,
  condition: Statement | null,
  variables: Variables,
): Promise<boolean> {
  if (condition === null) return true;
  return isTruthy(await conditionValue(runner, condition, variables));
}

async function runIf(
  runner: StatementRunner,
  node: IfNode,
  variables: Variables,
  out: unknown[],
): Promise<void> {
  for (const clause of node.clauses) {
    if (await conditionHolds(runner, clause.condition, variables))
      return runner.runInto(clause.body, variables, out);
  }
  if (node.elseBody) await runner.runInto(node.elseBody, variables, out);
}

/**
 * The loop of every loop statement: each iteration is a step; `break` ends it, `continue` goes on
 * with `after` (a for loop's iterator) and the next test.
 */
async function loop(
  runner: StatementRunner,
  variables: Variables,
  out: unknown[],
  body: Statement[],
  label: string | undefined,
  test: { before?: () => Promise<boolean>; after?: () => Promise<boolean> },
  iterator?: () => Promise<void>,
): Promise<void> {
  for (;;) {
    variables.budget.step();
    if (test.before && !(await test.before())) return;
    try {
      await runner.runInto(body, variables, out);
    } catch (signal) {
      if (signal instanceof BreakSignal && signalFor(signal, label)) return;
      if (!(signal instanceof ContinueSignal && signalFor(signal, label))) throw signal;
    }
    if (iterator) await iterator();
    if (test.after && !(await test.after())) return;
  }
}

async function runForeach(
  runner: StatementRunner,
  node: ForeachNode,
  variables: Variables,
  out: unknown[],
): Promise<void> {
  // foreach over $null runs no iteration (PowerShell 3.0 and later, about_Foreach).
  const items = toArray(await conditionValue(runner, node.collection, variables));
  let index = 0;
  await loop(runner, variables, out, node.body, node.label, {
    before: () => {
      if (index >= items.length) return Promise.resolve(false);
      variables.set(node.variable, items[index++]);
      return Promise.resolve(true);
    },
  });
}

async function runFor(
  runner: StatementRunner,
  node: ForNode,
  variables: Variables,
  out: unknown[],
): Promise<void> {
  if (node.init) await runner.runInto([node.init], variables, out);
  const iterator = node.iterator;
  await loop(
    runner,
    variables,
    out,
    node.body,
    node.label,
    { before: () => conditionHolds(runner, node.condition, variables) },
    iterator ? () => runner.runInto([iterator], variables, out) : undefined,
  );
}

async function runDo(
  runner: StatementRunner,
  node: DoNode,
  variables: Variables,
  out: unknown[],
): Promise<void> {
  await loop(runner, variables, out, node.body, node.label, {
    after: async () => (await conditionHolds(runner, node.condition, variables)) !== node.until,
  });
}

async function runFlow(
  runner: StatementRunner,
  node: FlowNode,
  variables: Variables,
  out: unknown[],
): Promise<void> {
  switch (node.keyword) {
    case 'break':
      throw new BreakSignal(node.label);
    case 'continue':
      throw new ContinueSignal(node.label);
    case 'return':
      // `return $x` writes $x to the output, then leaves (about_Return).
      if (node.value) await runner.runInto([node.value], variables, out);
      throw new ReturnSignal();
    case 'exit': {
      const code = node.value ? await conditionValue(runner, node.value, variables) : 0;
      throw new ExitSignal(Math.trunc(toNumberOrFail(code)));
    }
    case 'throw': {
      const value = node.value ? await conditionValue(runner, node.value, variables) : null;
      throw thrownError(runner, value, node);
    }
  }
}

/**
 * What `throw` raises. A string (or any object) becomes a RuntimeException whose message is its
 * text; Windows PowerShell 5.1 prints it as `<message>`, the position, `CategoryInfo :
 * OperationStopped: (<message>:String) [], RuntimeException` and `FullyQualifiedErrorId :
 * <message>` (about_Throw; the record layout of public PowerShell 5.1 transcripts). `throw` alone
 * raises "ScriptHalted" (about_Throw). `throw $_` in a catch block rethrows the caught error.
 */
function thrownError(runner: StatementRunner, value: unknown, node: FlowNode): PsError {
  const rethrown = runner.errorOfRecord(value);
  if (rethrown) return rethrown;
  const message = value === null ? 'ScriptHalted' : toPsString(value);
  return new PsError(message, {
    category: 'OperationStopped',
    errorId: message,
    exceptionType: 'RuntimeException',
    target: value === null ? '' : message,
    targetType: value === null ? '' : typeof value === 'string' ? 'String' : 'Object',
    reach: 'script',
    extent: node,
  });
}

/** Errors no `catch` sees: this product's limits and a stopped run (see budget.ts). */
export function isCatchable(error: PsError): boolean {
  return error.errorId !== scriptLimitErrorId && error.errorId !== pipelineStoppedErrorId;
}

/**
 * The .NET base classes of the exceptions this product raises, for typed catch clauses
 * (`catch [System.Management.Automation.RuntimeException]`). From the .NET API reference of each
 * type: ParameterBindingValidationException derives from ParameterBindingException, which with
 * CommandNotFoundException and ActionPreferenceStopException derives from RuntimeException;
 * PSInvalidOperationException from InvalidOperationException. VirtualizationException
 * (Microsoft.HyperV.PowerShell) is not documented in our sources: we take it as deriving from
 * Exception only.
 */
const baseTypes: Record<string, string> = {
  parameterbindingvalidationexception: 'parameterbindingexception',
  parameterbindingexception: 'runtimeexception',
  commandnotfoundexception: 'runtimeexception',
  actionpreferencestopexception: 'runtimeexception',
  scriptlimitexception: 'runtimeexception',
  psinvalidoperationexception: 'invalidoperationexception',
  runtimeexception: 'systemexception',
  invalidoperationexception: 'systemexception',
  systemexception: 'exception',
};

function catches(clause: CatchClause, error: PsError): boolean {
  return clause.types.length === 0 || catchesType(clause.types, error);
}

/** Whether `error` is one of `types` or derives from one (typed catch and trap clauses). */
export function catchesType(types: string[], error: PsError): boolean {
  return types.some((type) => {
    const wanted = (type.split('.').pop() ?? type).toLowerCase();
    for (let t: string | undefined = error.exceptionType.toLowerCase(); t; t = baseTypes[t])
      if (t === wanted) return true;
    return wanted === 'exception';
  });
}

async function runTry(
  runner: StatementRunner,
  node: TryNode,
  variables: Variables,
  out: unknown[],
): Promise<void> {
  try {
    let caught: PsError | null = null;
    runner.tryDepth++;
    try {
      await runner.runInto(node.body, variables, out);
    } catch (error) {
      if (!(error instanceof PsError) || !isCatchable(error)) throw error;
      caught = error;
    } finally {
      runner.tryDepth--;
    }
    if (caught === null) return;
    const error = caught;
    const clause = node.catches.find((c) => catches(c, error));
    if (!clause) throw error;
    // $_ (and $PSItem) is the error record in the catch block (about_Try_Catch_Finally).
    const record = runner.caughtErrorRecord(error);
    variables.set('_', record);
    variables.set('PSItem', record);
    await runner.runInto(clause.body, variables, out);
  } finally {
    // A finally block runs however the try block ends (about_Try_Catch_Finally), except after a
    // limit of the run or a stop: the budget is spent, and its first step would end the run again.
    if (node.finallyBody && !runner.outOfBudget)
      await runner.runInto(node.finallyBody, variables, out);
  }
}
