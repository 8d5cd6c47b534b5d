/** Expression evaluation: literals, variables, strings with expansion, member access, operators. */
import type { BinaryNode, Expression, Statement } from '../language/ast.js';
import type { Variables } from './variables.js';
import type { RunBudget } from './budget.js';
import { limitExceeded } from './budget.js';
import { arithmetic, cast, range } from './arithmetic.js';
import { checkedArray } from './arrayNesting.js';
import { callMethod } from './methods.js';
import { indexArray } from './arrayIndex.js';
import { PsRegex, matchesVariable, wildcardMatcher } from './regex.js';
import { PsHashtable } from './hashtable.js';
import { evaluateHashLiteral, indexHashtable } from './hashLiteral.js';
import { binaryOperator, unaryOperator } from './operators.js';
import { callIntrinsic } from './intrinsicMethods.js';
import { callNativeMethod } from './nativeObject.js';
import { staticMember } from './staticMembers.js';
import type { WildcardMatcher } from './regex.js';
import {
  PsObject,
  ScriptBlock,
  TimeSpan,
  getMember,
  isTruthy,
  toArray,
  toPsString,
  unwrap,
} from './values.js';

export interface EvalContext {
  variables: Variables;
  /** Runs statements and returns their output objects (used by `( )`, `$( )`, `@( )`). */
  runStatements(statements: Statement[], variables: Variables): Promise<unknown[]>;
  /** Runs a script block with arguments (`$block.Invoke(1, 2)`). */
  invokeBlock?(block: ScriptBlock, args: unknown[], variables: Variables): Promise<unknown[]>;
}

export async function evaluate(expr: Expression, ctx: EvalContext): Promise<unknown> {
  const budget = ctx.variables.budget;
  budget.step();
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'expandable': {
      let out = '';
      for (const part of expr.parts) {
        out += part.kind === 'text' ? part.text : toPsString(await evaluate(part.expr, ctx));
        budget.checkString(out.length);
      }
      return out;
    }
    case 'variable':
      return ctx.variables.get(expr.name) ?? null;
    case 'array': {
      const items: unknown[] = [];
      for (const item of expr.items) items.push(await evaluate(item, ctx));
      return checkedArray(items);
    }
    case 'paren': {
      const statement = expr.pipeline;
      if (statement.kind === 'assignment') {
        await ctx.runStatements([statement], ctx.variables);
        return ctx.variables.get(statement.variable);
      }
      return unwrap(await ctx.runStatements([statement], ctx.variables));
    }
    case 'subexpression':
      return unwrap(await ctx.runStatements(expr.statements, ctx.variables));
    case 'array-subexpression': {
      // The statements' output objects as they are: the pipeline already enumerated each
      // statement's value once, so an array in it stays one item (about_Operators: "@( )
      // returns the result of one or more statements as an array").
      const output = await ctx.runStatements(expr.statements, ctx.variables);
      budget.checkCollection(output.length);
      return output;
    }
    case 'member': {
      const target = await evaluate(expr.target, ctx);
      if (!expr.args) return budget.checkValue(getMember(target, expr.member));
      const args: unknown[] = [];
      for (const arg of expr.args) args.push(await evaluate(arg, ctx));
      // `$Error.Clear()` empties the list (an ArrayList in PowerShell, about_Automatic_Variables).
      if (
        expr.member.toLowerCase() === 'clear' &&
        Array.isArray(target) &&
        target === ctx.variables.get('Error')
      ) {
        target.length = 0;
        return null;
      }
      if (
        target instanceof ScriptBlock &&
        expr.member.toLowerCase() === 'invoke' &&
        ctx.invokeBlock
      )
        return budget.checkValue(await ctx.invokeBlock(target, args, ctx.variables));
      const native =
        (await callNativeMethod(target, expr.member, args)) ??
        (await callIntrinsic(target, expr.member, args, ctx));
      if (native) return budget.checkValue(native.value);
      return budget.checkValue(callMethod(target, expr.member, args, budget.limits));
    }
    case 'index': {
      const target = await evaluate(expr.target, ctx);
      const index = await evaluate(expr.index, ctx);
      if (target instanceof PsHashtable) return indexHashtable(target, index);
      if (target instanceof PsObject && target.typeName === hashtableType)
        return target.get(toPsString(index)) ?? null;
      return indexArray(target, index, budget);
    }
    case 'scriptblock':
      return new ScriptBlock(expr.statements, expr.text, expr.parameters, {
        ...(expr.begin ? { begin: expr.begin } : {}),
        ...(expr.process ? { process: expr.process } : {}),
        ...(expr.attributes ? { attributes: expr.attributes } : {}),
      });
    case 'unary':
      if (expr.operator === 'not') return !isTruthy(await evaluate(expr.operand, ctx));
      return budget.checkValue(
        unaryOperator(expr.operator, await evaluate(expr.operand, ctx), budget),
      );
    case 'binary':
      return binary(expr, ctx);
    case 'arithmetic':
      return budget.checkValue(
        arithmetic(
          expr.operator,
          await evaluate(expr.left, ctx),
          await evaluate(expr.right, ctx),
          budget,
        ),
      );
    case 'range':
      return range(await evaluate(expr.from, ctx), await evaluate(expr.to, ctx), budget);
    case 'cast':
      return cast(expr.type, await evaluate(expr.operand, ctx));
    case 'hash':
      return evaluateHashLiteral(expr, ctx);
    case 'static': {
      const args: unknown[] = [];
      for (const arg of expr.args ?? []) args.push(await evaluate(arg, ctx));
      return budget.checkValue(staticMember(expr, expr.args ? args : null, budget.limits));
    }
  }
}

const hashtableType = 'System.Collections.Hashtable';

async function binary(expr: BinaryNode, ctx: EvalContext): Promise<unknown> {
  const left = await evaluate(expr.left, ctx);
  if (expr.operator === 'and') return isTruthy(left) && isTruthy(await evaluate(expr.right, ctx));
  if (expr.operator === 'or') return isTruthy(left) || isTruthy(await evaluate(expr.right, ctx));
  const right = await evaluate(expr.right, ctx);
  const caseSensitive = expr.caseSensitive === true;
  const other = binaryOperator(expr.operator, left, right, caseSensitive, ctx.variables.budget);
  if (other) return other.value;
  if ((expr.operator === 'match' || expr.operator === 'notmatch') && !Array.isArray(left)) {
    // A scalar -match that succeeds sets $Matches (about_Automatic_Variables); -notmatch sets it
    // too when the pattern matched (about_Comparison_Operators, "-match and -notmatch").
    const input = toPsString(left);
    ctx.variables.budget.checkString(input.length);
    const match = PsRegex.compile(toPsString(right), caseSensitive).match(input);
    if (match) ctx.variables.set('Matches', matchesVariable(match));
    return expr.operator === 'match' ? match !== null : match === null;
  }
  if (expr.operator === 'replace' || expr.operator === 'split')
    return regexOperator(expr.operator, left, right, caseSensitive, ctx.variables.budget);
  return compare(expr.operator, left, right, caseSensitive);
}

/**
 * `-replace` (`<input> -replace <pattern>[, <replacement>]`) and `-split` (`<input> -split
 * <pattern>[, <max>]`), about_Comparison_Operators and about_Split; each item of an array on the
 * left is replaced or split in turn.
 */
function regexOperator(
  operator: 'replace' | 'split',
  left: unknown,
  right: unknown,
  caseSensitive: boolean,
  budget: RunBudget,
): unknown {
  const [pattern, argument] = Array.isArray(right) ? (right as unknown[]) : [right];
  const regex = PsRegex.compile(toPsString(pattern), caseSensitive);
  const inputs = Array.isArray(left) ? left : [left];
  if (operator === 'replace') {
    const max = budget.limits.maxStringLength;
    const tooLong = (): Error =>
      limitExceeded(`The script built a string of more than ${max} characters.`);
    const replaced = inputs.map((item) =>
      regex.replace(toPsString(item), toPsString(argument), max, tooLong),
    );
    return Array.isArray(left) ? replaced : replaced[0];
  }
  const count = typeof argument === 'number' ? argument : 0;
  // One array for every input, its size checked piece by piece (see PsRegex.split).
  const pieces: string[] = [];
  const limit = budget.limits.maxCollectionItems;
  const tooMany = (): Error =>
    limitExceeded(`The script built an array of more than ${limit} items.`);
  for (const item of inputs) regex.split(toPsString(item), count, limit, tooMany, pieces);
  return pieces;
}

/**
 * PowerShell's comparison operators, case-insensitive unless `caseSensitive` (`-ceq`, `-cmatch`...);
 * with an array on the left they filter it.
 */
export function compare(
  operator: BinaryNode['operator'],
  left: unknown,
  right: unknown,
  caseSensitive = false,
): unknown {
  switch (operator) {
    case 'contains':
      return toArray(left).some((item) => equals(item, right, caseSensitive));
    case 'notcontains':
      return !toArray(left).some((item) => equals(item, right, caseSensitive));
    case 'in':
      return toArray(right).some((item) => equals(item, left, caseSensitive));
    case 'notin':
      return !toArray(right).some((item) => equals(item, left, caseSensitive));
    default:
      break;
  }
  if (operator === 'like' || operator === 'notlike') {
    const pattern = wildcardMatcher(toPsString(right), caseSensitive);
    const like = (item: unknown): boolean =>
      pattern.test(toPsString(item)) === (operator === 'like');
    return Array.isArray(left) ? left.filter(like) : like(left);
  }
  if (operator === 'match' || operator === 'notmatch') {
    const pattern = PsRegex.compile(toPsString(right), caseSensitive);
    const match = (item: unknown): boolean =>
      pattern.test(toPsString(item)) === (operator === 'match');
    return Array.isArray(left) ? left.filter(match) : match(left);
  }
  if (Array.isArray(left))
    return left.filter((item) => isTruthy(compareScalar(operator, item, right, caseSensitive)));
  return compareScalar(operator, left, right, caseSensitive);
}

function compareScalar(
  operator: BinaryNode['operator'],
  left: unknown,
  right: unknown,
  caseSensitive: boolean,
): boolean {
  switch (operator) {
    case 'eq':
      return equals(left, right, caseSensitive);
    case 'ne':
      return !equals(left, right, caseSensitive);
    case 'gt':
      return order(left, right, caseSensitive) > 0;
    case 'ge':
      return order(left, right, caseSensitive) >= 0;
    case 'lt':
      return order(left, right, caseSensitive) < 0;
    case 'le':
      return order(left, right, caseSensitive) <= 0;
    default:
      return false;
  }
}

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))
    return Number(value);
  return null;
}

function toTime(value: unknown): number | null {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string') {
    const t = Date.parse(value);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}

/**
 * The right operand is converted to the type of the left one, as PowerShell does; strings compare
 * without case unless `caseSensitive` (`-ceq`, `-ccontains`, `-cin`...).
 */
export function equals(left: unknown, right: unknown, caseSensitive = false): boolean {
  if (left === null || left === undefined) return right === null || right === undefined;
  if (right === null || right === undefined) return false;
  if (typeof left === 'number') return toNumber(right) === left;
  if (typeof left === 'boolean') return isTruthy(right) === left;
  if (left instanceof Date) return toTime(right) === left.getTime();
  if (left instanceof TimeSpan)
    return right instanceof TimeSpan && right.milliseconds === left.milliseconds;
  if (typeof left === 'string')
    return caseSensitive
      ? left === toPsString(right)
      : left.toLowerCase() === toPsString(right).toLowerCase();
  if (left instanceof PsObject) return left === right;
  return left === right;
}

export function order(left: unknown, right: unknown, caseSensitive = false): number {
  if (typeof left === 'number') {
    const r = toNumber(right);
    return r === null ? Number.NaN : left - r;
  }
  if (left instanceof Date) {
    const r = toTime(right);
    return r === null ? Number.NaN : left.getTime() - r;
  }
  if (left instanceof TimeSpan && right instanceof TimeSpan)
    return left.milliseconds - right.milliseconds;
  if (left === null || left === undefined) return right === null || right === undefined ? 0 : -1;
  // `-cgt`, `-clt`...: .NET compares strings with the culture, where 'a' comes before 'B'.
  if (caseSensitive) return toPsString(left).localeCompare(toPsString(right), 'en-US');
  const a = toPsString(left).toLowerCase();
  const b = toPsString(right).toLowerCase();
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A `-like` wildcard pattern, case-insensitive and anchored (see regex.ts). */
export function wildcardToRegExp(pattern: string): WildcardMatcher {
  return wildcardMatcher(pattern);
}

export function hasWildcard(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}
