/**
 * Array indexing (about_Arrays): `$a[1]`, `$a[-1]`, and the slices `$a[1..2]` and `$a[0, 2]`,
 * whose index is itself an array and which give one item per index. In a slice an index past
 * either end gives nothing (PowerShell skips it); a single index past the end gives $null.
 */
import type { RunBudget } from './budget.js';
import { toArray } from './values.js';

function itemAt(items: readonly unknown[], index: unknown): { found: boolean; value: unknown } {
  if (typeof index !== 'number' || !Number.isFinite(index)) return { found: false, value: null };
  const whole = Math.trunc(index);
  const at = whole < 0 ? items.length + whole : whole;
  if (at < 0 || at >= items.length) return { found: false, value: null };
  return { found: true, value: items[at] };
}

export function indexArray(target: unknown, index: unknown, budget: RunBudget): unknown {
  const items = toArray(target);
  if (!Array.isArray(index)) return itemAt(items, index).value ?? null;
  const slice: unknown[] = [];
  for (const one of index) {
    // Every index of a slice is a step, so a huge range cannot run unbounded.
    budget.step();
    const item = itemAt(items, one);
    if (item.found) slice.push(item.value);
  }
  budget.checkCollection(slice.length);
  return slice;
}
