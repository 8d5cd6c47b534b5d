// A cmdlet's read-ahead names the window in use and the one after it (which a host may fetch
// meanwhile), window by window, and ends by dropping what is left.
import type { Host } from '@hvm/engine';
import { describe, expect, it } from 'vitest';
import type { HostRead } from './hostReadAhead.js';
import { READ_AHEAD_WINDOW, hostReadAheadKey, withReadAhead } from './hostReadAhead.js';

describe('withReadAhead', () => {
  it('asks each window with the next one, before the first item of the window is used', async () => {
    const asked: string[] = [];
    const host = {
      [hostReadAheadKey]: (reads: readonly HostRead[], next: readonly HostRead[] = []) =>
        asked.push(`${reads.length}+${next.length}`),
    } as unknown as Host;
    const items = Array.from({ length: 2 * READ_AHEAD_WINDOW + 3 }, (_, i) => i);
    const used: number[] = [];
    await withReadAhead(
      host,
      items,
      (window) => window.map((i) => ({ method: 'getVm', args: [i] })),
      (item) => {
        if (item % READ_AHEAD_WINDOW === 0) used.push(asked.length);
      },
    );
    const w = READ_AHEAD_WINDOW;
    expect(asked).toEqual([`${w}+${w}`, `${w}+3`, '3+0', '0+0']);
    expect(used).toEqual([1, 2, 3]);
  });
});
