import { describe, expect, it } from 'vitest';
import { contiguousRuns } from './mergeCopy.js';

const M = 32 * 1024 * 1024;

describe('contiguousRuns (one clone request for blocks that follow each other in both files)', () => {
  it('joins blocks adjacent in the child and in the parent, and keeps the count of each run', () => {
    const runs = contiguousRuns([
      { from: 4 * M, to: 8 * M, length: M },
      { from: 5 * M, to: 9 * M, length: M },
      { from: 6 * M, to: 10 * M, length: M },
      // Adjacent in the child only: the parent block lies elsewhere.
      { from: 7 * M, to: 20 * M, length: M },
      // Adjacent in the parent only.
      { from: 30 * M, to: 21 * M, length: M },
    ]);
    expect(runs).toEqual([
      { range: { from: 4 * M, to: 8 * M, length: 3 * M }, count: 3 },
      { range: { from: 7 * M, to: 20 * M, length: M }, count: 1 },
      { range: { from: 30 * M, to: 21 * M, length: M }, count: 1 },
    ]);
  });

  it('leaves the ranges it was given unchanged', () => {
    const ranges = [
      { from: 0, to: 0, length: M },
      { from: M, to: M, length: M },
    ];
    contiguousRuns(ranges);
    expect(ranges[0]).toEqual({ from: 0, to: 0, length: M });
  });
});
