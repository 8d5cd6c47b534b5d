import { createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { runPowerShell } from '../index.js';
import { PsRegex } from './regex.js';

class TooMany extends Error {}

describe('-split stops at the collection limit while it splits', () => {
  test('a long string split on every character stops one piece past the limit', () => {
    let piecesWhenRefused = -1;
    const split = (): string[] =>
      PsRegex.compile('', false).split('a'.repeat(1_000_000), 0, 10, (built) => {
        piecesWhenRefused = built;
        return new TooMany();
      });
    expect(split).toThrow(TooMany);
    // Not the million pieces a whole split would have built (and kept) first.
    expect(piecesWhenRefused).toBe(11);
  });

  test('an array of strings is split into one array whose size is checked as it grows', async () => {
    const { host } = await createTestHost();
    // 1000 items of 'a,b' split on ',' would be 2000 pieces; the limit is 100.
    const items = Array.from({ length: 1000 }, () => "'a,b'").join(', ');
    const r = await runPowerShell(host, `$a = ${items}\n($a -split ',').Count\n'not reached'`, {
      limits: { maxCollectionItems: 100 },
    });
    expect(r.errors[0]?.fullyQualifiedErrorId).toBe('ScriptLimitExceeded');
    expect(r.errors[0]?.message).toContain('an array of more than 100 items');
    expect(r.objects).toEqual([]);
  });

  test('a split within the limit is unchanged', async () => {
    const { host } = await createTestHost();
    const r = await runPowerShell(host, "'a,b', 'c' -split ','", {
      limits: { maxCollectionItems: 3 },
    });
    expect(r.errors).toEqual([]);
    expect(r.objects).toEqual(['a', 'b', 'c']);
  });
});
