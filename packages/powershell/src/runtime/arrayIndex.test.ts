import { expect, test } from 'vitest';
import { RunBudget } from './budget.js';
import { indexArray } from './arrayIndex.js';

const budget = (): RunBudget => new RunBudget();

test('one index: from the start, from the end, past the end', () => {
  expect(indexArray([1, 2, 3], 0, budget())).toBe(1);
  expect(indexArray([1, 2, 3], -1, budget())).toBe(3);
  expect(indexArray([1, 2, 3], 5, budget())).toBeNull();
});

test('a list of indexes gives a slice and skips indexes past either end', () => {
  expect(indexArray([1, 2, 3], [2, 0, 9, -9], budget())).toEqual([3, 1]);
});
