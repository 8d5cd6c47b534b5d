/**
 * How deeply the arrays a script builds may nest. `$a = $a, 1` in a loop nests one level per turn;
 * member enumeration, the cmdlets and JavaScript's own array functions walk nested arrays
 * recursively, so thousands of levels overflowed the stack. PowerShell has no such limit: like
 * the others in budget.ts it is this product's own, and says so.
 */
import { limitExceeded } from './budget.js';

/** The most levels of arrays within arrays a script may build. */
export const MAX_ARRAY_NESTING = 200;

/** Depths already known, so a loop that nests one more level each turn costs one look-up per item. */
const knownDepth = new WeakMap<object, number>();

function depthOf(value: unknown): number {
  if (!Array.isArray(value)) return 0;
  const known = knownDepth.get(value);
  if (known !== undefined) return known;
  // An array not built by the `,` operator (a pipeline's output, `@()`): its items are.
  let deepest = 0;
  for (const item of value as unknown[])
    if (Array.isArray(item)) deepest = Math.max(deepest, knownDepth.get(item) ?? 1);
  const depth = deepest + 1;
  knownDepth.set(value, depth);
  return depth;
}

/** The array the `,` operator built from `items`; throws the limit's error when it nests too deep. */
export function checkedArray(items: unknown[]): unknown[] {
  let deepest = 0;
  for (const item of items) deepest = Math.max(deepest, depthOf(item));
  const depth = deepest + 1;
  if (depth > MAX_ARRAY_NESTING)
    throw limitExceeded(
      `The script built arrays nested more than ${MAX_ARRAY_NESTING} levels deep.`,
    );
  knownDepth.set(items, depth);
  return items;
}
