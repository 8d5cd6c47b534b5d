/** Expression evaluation: literals, variables, strings with expansion, member access, operators. */
import type { BinaryNode, Expression, Statement } from '../language/ast.js';
import { PsError } from '../errors.js';
import type { Variables } from './variables.js';
import { callMethod } from './methods.js';
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
}

export async function evaluate(expr: Expression, ctx: EvalContext): Promise<unknown> {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'expandable': {
      let out = '';
      for (const part of expr.parts) {
        out += part.kind === 'text' ? part.text : toPsString(await evaluate(part.expr, ctx));
      }
      return out;
    }
    case 'variable':
      return ctx.variables.get(expr.name) ?? null;
    case 'array': {
      const items: unknown[] = [];
      for (const item of expr.items) items.push(await evaluate(item, ctx));
      return items;
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
    case 'array-subexpression':
      return (await ctx.runStatements(expr.statements, ctx.variables)).flatMap((v) => toArray(v));
    case 'member': {
      const target = await evaluate(expr.target, ctx);
      if (!expr.args) return getMember(target, expr.member);
      const args: unknown[] = [];
      for (const arg of expr.args) args.push(await evaluate(arg, ctx));
      return callMethod(target, expr.member, args);
    }
    case 'index': {
      const target = await evaluate(expr.target, ctx);
      const index = await evaluate(expr.index, ctx);
      if (typeof index !== 'number') return null;
      const items = toArray(target);
      const at = index < 0 ? items.length + index : index;
      return items[at] ?? null;
    }
    case 'scriptblock':
      return new ScriptBlock(expr.statements, expr.text);
    case 'unary':
      return !isTruthy(await evaluate(expr.operand, ctx));
    case 'binary':
      return binary(expr, ctx);
  }
}

async function binary(expr: BinaryNode, ctx: EvalContext): Promise<unknown> {
  const left = await evaluate(expr.left, ctx);
  if (expr.operator === 'and') return isTruthy(left) && isTruthy(await evaluate(expr.right, ctx));
  if (expr.operator === 'or') return isTruthy(left) || isTruthy(await evaluate(expr.right, ctx));
  const right = await evaluate(expr.right, ctx);
  return compare(expr.operator, left, right);
}

/** PowerShell's comparison operators, case-insensitive; with an array on the left they filter it. */
export function compare(operator: BinaryNode['operator'], left: unknown, right: unknown): unknown {
  switch (operator) {
    case 'contains':
      return toArray(left).some((item) => equals(item, right));
    case 'notcontains':
      return !toArray(left).some((item) => equals(item, right));
    case 'in':
      return toArray(right).some((item) => equals(item, left));
    case 'notin':
      return !toArray(right).some((item) => equals(item, left));
    default:
      break;
  }
  if (Array.isArray(left))
    return left.filter((item) => isTruthy(compareScalar(operator, item, right)));
  return compareScalar(operator, left, right);
}

function compareScalar(operator: BinaryNode['operator'], left: unknown, right: unknown): boolean {
  switch (operator) {
    case 'eq':
      return equals(left, right);
    case 'ne':
      return !equals(left, right);
    case 'gt':
      return order(left, right) > 0;
    case 'ge':
      return order(left, right) >= 0;
    case 'lt':
      return order(left, right) < 0;
    case 'le':
      return order(left, right) <= 0;
    case 'like':
      return wildcardToRegExp(toPsString(right)).test(toPsString(left));
    case 'notlike':
      return !wildcardToRegExp(toPsString(right)).test(toPsString(left));
    case 'match':
    case 'notmatch': {
      let re: RegExp;
      try {
        re = new RegExp(toPsString(right), 'i');
      } catch {
        throw new PsError(`The regular expression pattern ${toPsString(right)} is not valid.`, {
          category: 'InvalidOperation',
          errorId: 'InvalidRegularExpression',
          exceptionType: 'RuntimeException',
          reach: 'statement',
        });
      }
      return operator === 'match' ? re.test(toPsString(left)) : !re.test(toPsString(left));
    }
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

/** The right operand is converted to the type of the left one, as PowerShell does. */
export function equals(left: unknown, right: unknown): boolean {
  if (left === null || left === undefined) return right === null || right === undefined;
  if (right === null || right === undefined) return false;
  if (typeof left === 'number') return toNumber(right) === left;
  if (typeof left === 'boolean') return isTruthy(right) === left;
  if (left instanceof Date) return toTime(right) === left.getTime();
  if (left instanceof TimeSpan)
    return right instanceof TimeSpan && right.milliseconds === left.milliseconds;
  if (typeof left === 'string') return left.toLowerCase() === toPsString(right).toLowerCase();
  if (left instanceof PsObject) return left === right;
  return left === right;
}

export function order(left: unknown, right: unknown): number {
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
  const a = toPsString(left).toLowerCase();
  const b = toPsString(right).toLowerCase();
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `*`, `?` and `[abc]`, case-insensitive, anchored; a backtick escapes the next character. */
export function wildcardToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '`' && i + 1 < pattern.length) {
      re += escapeRe(pattern[++i] ?? '');
    } else if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close === -1) re += '\\[';
      else {
        re += `[${pattern.slice(i + 1, close).replace(/[\\^]/g, '\\$&')}]`;
        i = close;
      }
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`, 'is');
}

export function hasWildcard(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
