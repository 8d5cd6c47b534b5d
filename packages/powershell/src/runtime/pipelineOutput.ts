import type { CommandNode, PipelineNode } from '../language/ast.js';
import { redirectOutput } from './redirection.js';

/**
 * Where a function or script block at the end of a pipeline writes: the statement's own output
 * (unless `> $null` drops it), so its output before a terminating error is kept and comes before
 * the error's record, as PowerShell's streaming pipeline gives it (about_Pipelines).
 */
export function streamsTo(
  statement: PipelineNode,
  node: CommandNode,
  out: unknown[],
): unknown[] | undefined {
  const last = statement.elements[statement.elements.length - 1];
  return last === node && redirectOutput(node.redirections) !== 'null' ? out : undefined;
}
