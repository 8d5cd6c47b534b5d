/**
 * Functions and script blocks called as commands (about_Functions, about_Script_Blocks): `Name -Param
 * value`, positional arguments, `$args`, `$input`, default values, `[string]`/`[int]`/`[switch]`
 * parameters, and `return`. These are simple functions (no [CmdletBinding()]): as in PowerShell,
 * arguments that match no parameter go to `$args`.
 */
import type { AttributeNode, ParameterNode, Statement } from '../language/ast.js';
import { invokeFunction, usesFunctionPipeline } from './advancedFunctions.js';
import { bindingError } from '../errors.js';
import { cast } from './arithmetic.js';
import { limitExceeded } from './budget.js';
import type { EvaluatedArg } from './binding.js';
import { evaluate } from './evaluate.js';
import type { EvalContext } from './evaluate.js';
import { ReturnSignal } from './statements.js';
import type { StatementRunner } from './statements.js';
import { PsError } from '../errors.js';
import { PsHashtable } from './hashtable.js';
import { ScriptBlock, toPsString } from './values.js';
import type { Variables } from './variables.js';

/** A function definition or a script block: what `Name ...` or `& $block ...` runs. */
export interface Callable {
  name: string;
  parameters: ParameterNode[];
  /** The body, or its `end` block. */
  body: Statement[];
  begin?: Statement[];
  process?: Statement[];
  /** `[CmdletBinding(...)]` and other attributes before `param(...)`. */
  attributes?: AttributeNode[];
}

export function blockCallable(block: ScriptBlock): Callable {
  return { name: '', parameters: block.parameters, body: block.statements, ...block.named };
}

export function callableOf(value: unknown): Callable | null {
  if (value instanceof ScriptBlock) return blockCallable(value);
  if (typeof value === 'object' && value !== null && 'body' in value && 'parameters' in value)
    return value as Callable;
  return null;
}

export interface FunctionRunner extends StatementRunner {
  runStatements(statements: Statement[], variables: Variables): Promise<unknown[]>;
  /** Functions and script blocks being run, one inside the other. */
  callDepth: number;
}

/**
 * How deeply functions and script blocks may call each other. PowerShell ends deeper recursion with
 * "The script failed due to call depth overflow." (ScriptCallDepthException, GetErrorText.resx) at
 * a depth that depends on its stack; ours is a fixed limit of this product, reported as one, so that
 * `function f { f }; f` ends with a clear record instead of overflowing the stack.
 */
export const MAX_CALL_DEPTH = 100;

/** The value of a parameter that was not given: its default, or its type's empty value. */
export async function defaultValue(parameter: ParameterNode, ctx: EvalContext): Promise<unknown> {
  if (parameter.defaultValue) return evaluate(parameter.defaultValue, ctx);
  switch (parameter.type) {
    case 'switch':
    case 'bool':
      return false;
    case 'int':
    case 'long':
    case 'double':
      return 0;
    case 'string':
      return '';
    default:
      return null;
  }
}

/**
 * ParameterBinderStrings.ParameterArgumentTransformationError ("Cannot process argument
 * transformation on parameter '{1}'. {6}"), with the conversion error of arithmetic.ts.
 */
export function converted(parameter: ParameterNode, value: unknown): unknown {
  if (parameter.type === null) return value;
  if (parameter.type === 'switch') return value === null ? true : cast('bool', value);
  try {
    return cast(parameter.type, value);
  } catch (error) {
    if (!(error instanceof PsError)) throw error;
    throw bindingError(
      `Cannot process argument transformation on parameter '${parameter.name}'. ${error.message}`,
      'ParameterArgumentTransformationError',
    );
  }
}

/**
 * ParameterBinderStrings.MissingArgument: "Missing an argument for parameter '{1}'. Specify a
 * parameter of type '{2}' and try again."
 */
export function missingArgument(parameter: ParameterNode): PsError {
  const netType: Record<string, string> = {
    string: 'System.String',
    int: 'System.Int32',
    bool: 'System.Boolean',
  };
  return bindingError(
    `Missing an argument for parameter '${parameter.name}'. Specify a parameter of type '${netType[parameter.type ?? ''] ?? 'System.Object'}' and try again.`,
    'MissingArgument',
  );
}

/** The parameter a `-Name` names: its full name or an unambiguous prefix (about_Parameters). */
export function findParameter(
  parameters: ParameterNode[],
  name: string,
): ParameterNode | undefined {
  const lower = name.toLowerCase();
  const exact = parameters.find((p) => p.name.toLowerCase() === lower);
  if (exact) return exact;
  const prefixed = parameters.filter((p) => p.name.toLowerCase().startsWith(lower));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/**
 * Runs `callable` in a new scope under `caller`: named arguments first, then positional ones in
 * order, the rest in `$args`; `$input` holds the pipeline input. Returns everything the body wrote.
 */
export async function invokeCallable(
  runner: FunctionRunner,
  callable: Callable,
  args: EvaluatedArg[],
  input: unknown[],
  caller: Variables,
  /** Whether the function stands after another command in a pipeline (its process block runs per item). */
  expectsInput = false,
  /**
   * Where the body writes its output as it is produced (the caller's output when the function is
   * the last command of its pipeline), so that what it wrote before a terminating error has gone
   * on already, as in PowerShell's pipeline (about_Pipelines); a new array otherwise.
   */
  out: unknown[] = [],
): Promise<unknown[]> {
  if (runner.callDepth >= MAX_CALL_DEPTH)
    throw limitExceeded(
      `The script called functions or script blocks more than ${MAX_CALL_DEPTH} levels deep.`,
    );
  if (usesFunctionPipeline(callable)) {
    runner.callDepth++;
    try {
      return await invokeFunction(runner, callable, args, input, caller, expectsInput, out);
    } finally {
      runner.callDepth--;
    }
  }
  const scope = caller.child();
  const named = new Map<ParameterNode, unknown>();
  const positional: unknown[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg) continue;
    if (arg.kind === 'value') {
      positional.push(arg.value);
      continue;
    }
    const parameter = findParameter(callable.parameters, arg.name);
    if (!parameter) {
      positional.push(`-${arg.name}${arg.hasValue ? ':' : ''}`);
      if (arg.hasValue) positional.push(arg.value);
      continue;
    }
    if (arg.hasValue || parameter.type === 'switch') {
      named.set(parameter, arg.hasValue ? arg.value : null);
      continue;
    }
    const next = args[i + 1];
    if (next?.kind !== 'value') throw missingArgument(parameter);
    named.set(parameter, next.value);
    i++;
  }
  const ctx: EvalContext = {
    variables: scope,
    runStatements: (statements, variables) => runner.runStatements(statements, variables),
  };
  // $PSBoundParameters: the parameters given, by name or position (about_Automatic_Variables).
  const boundParameters = new PsHashtable();
  for (const parameter of callable.parameters) {
    let value: unknown;
    if (named.has(parameter)) value = converted(parameter, named.get(parameter));
    else if (positional.length > 0 && parameter.type !== 'switch')
      value = converted(parameter, positional.shift());
    else {
      scope.set(parameter.name, await defaultValue(parameter, ctx));
      continue;
    }
    boundParameters.set(parameter.name, value);
    scope.set(parameter.name, value);
  }
  scope.set('PSBoundParameters', boundParameters);
  scope.set('args', positional);
  scope.set('input', input);
  runner.callDepth++;
  try {
    await runner.runInto(callable.body, scope, out);
  } catch (signal) {
    if (!(signal instanceof ReturnSignal)) throw signal;
  } finally {
    runner.callDepth--;
  }
  return out;
}

/** `$block.Invoke(a, b)`: the arguments are positional. */
export function positionalArgs(values: unknown[]): EvaluatedArg[] {
  const extent = { start: 0, end: 0 };
  return values.map((value) => ({ kind: 'value', value, extent }));
}

/** The name shown for a script block called with `&` in an error record. */
export function callableName(callable: Callable): string {
  return callable.name === '' ? '&' : toPsString(callable.name);
}
