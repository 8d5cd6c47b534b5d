/**
 * The methods PowerShell gives every collection (about_Arrays, "Where" and "ForEach"):
 * `(Get-VM).Where({ $_.State -eq 'Running' })`, `.Where({ ... }, 'First')`,
 * `$names.ForEach({ $_.ToUpper() })`, `.ForEach('Name')`. Each item is a step of the run's budget.
 */
import type { EvalContext } from './evaluate.js';
import { ReturnSignal } from './statements.js';
import { ScriptBlock, getMember, isTruthy, toArray, toPsString, unwrap } from './values.js';

async function runFor(block: ScriptBlock, item: unknown, ctx: EvalContext): Promise<unknown[]> {
  const scope = ctx.variables.child();
  scope.set('_', item);
  scope.set('PSItem', item);
  try {
    return await ctx.runStatements(block.statements, scope);
  } catch (signal) {
    if (signal instanceof ReturnSignal) return [];
    throw signal;
  }
}

/** `.Where(...)` or `.ForEach(...)` on any value; undefined for other methods. */
export async function callIntrinsic(
  target: unknown,
  name: string,
  args: unknown[],
  ctx: EvalContext,
): Promise<{ value: unknown } | undefined> {
  const lower = name.toLowerCase();
  if (lower !== 'where' && lower !== 'foreach') return undefined;
  const [selector, modeArg, countArg] = args;
  const items = toArray(target);
  const out: unknown[] = [];
  if (lower === 'foreach') {
    for (const item of items) {
      ctx.variables.budget.step();
      if (selector instanceof ScriptBlock) out.push(...(await runFor(selector, item, ctx)));
      else out.push(...toArray(getMember(item, toPsString(selector))));
      ctx.variables.budget.checkCollection(out.length);
    }
    return { value: out };
  }
  if (!(selector instanceof ScriptBlock)) return undefined;
  const mode = toPsString(modeArg ?? 'Default').toLowerCase();
  const count = countArg === undefined ? 0 : Number(countArg);
  for (const item of items) {
    ctx.variables.budget.step();
    if (!isTruthy(unwrap(await runFor(selector, item, ctx)))) continue;
    out.push(item);
    if (mode === 'first' && out.length >= Math.max(1, count)) break;
  }
  if (mode === 'last') return { value: out.slice(-Math.max(1, count)) };
  return { value: out };
}
