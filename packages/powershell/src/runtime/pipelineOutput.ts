import type { CommandNode, ExpressionElement, PipelineNode } from '../language/ast.js';
import { evaluate, type EvalContext } from './evaluate.js';
import { redirectedOutput, redirectionFrame, redirectOutput } from './redirection.js';
import type { StreamRouting } from './streams.js';
import { toArray } from './values.js';

/**
 * Where a function or script block at the end of a pipeline writes: the statement's own output
 * (unless its output is redirected), so its output before a terminating error is kept and comes before
 * the error's record, as PowerShell's streaming pipeline gives it (about_Pipelines).
 */
export function streamsTo(
  statement: PipelineNode,
  node: CommandNode,
  out: unknown[],
): unknown[] | undefined {
  const last = statement.elements[statement.elements.length - 1];
  // Output redirected anywhere (`> $null`, `> file`, `*> file`) is collected first, for its target.
  const redirected = (node.redirections ?? []).some(
    (r) => !r.merge && (r.stream === 1 || r.stream === '*'),
  );
  return last === node && !redirected ? out : undefined;
}

/**
 * The items an expression at the head of a pipeline sends on (`$a | ...`, `1..3 > file`), after
 * its own redirections: an array's items one by one, nothing for `$null` or when its output
 * was redirected away.
 */
export async function expressionHead(
  runner: { routing: StreamRouting; width: number },
  first: ExpressionElement,
  ctx: EvalContext,
): Promise<unknown[]> {
  const { variables } = ctx;
  const merged: unknown[] = [];
  const frame = await redirectionFrame(first.redirections, merged, variables, (target) =>
    evaluate(target, ctx),
  );
  let value: unknown = await runner.routing.within(frame, () => evaluate(first.expression, ctx));
  if (merged.length > 0) value = [...toArray(value), ...merged];
  if (redirectOutput(first.redirections) === 'null') value = null;
  else if (frame && first.redirections) {
    const kept = await redirectedOutput(
      first.redirections,
      toArray(value),
      frame,
      variables,
      runner.width,
    );
    if (kept.length === 0) value = null;
  }
  if (Array.isArray(value)) return value as unknown[];
  return value === null ? [] : [value];
}
