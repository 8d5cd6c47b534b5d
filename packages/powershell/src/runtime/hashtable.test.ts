/** Hashtables: keys without case, order kept, the API other parts read. */
import { describe, expect, test } from 'vitest';
import {
  PsHashtable,
  addHashtables,
  hashtableEntries,
  hashtableGet,
  isHashtable,
  newHashtable,
} from './hashtable.js';

describe('PsHashtable', () => {
  test('string keys compare without case and keep their first spelling', () => {
    const table = new PsHashtable();
    table.set('Name', 1);
    table.set('NAME', 2);
    expect(table.count).toBe(1);
    expect(table.keys()).toEqual(['Name']);
    expect(hashtableGet(table, 'name')).toBe(2);
  });

  test('numbers and strings are different keys', () => {
    const table = newHashtable([
      [1, 'one'],
      ['1', 'text'],
    ]);
    expect(table.get(1)).toBe('one');
    expect(table.get('1')).toBe('text');
  });

  test('Add of a present key is .NET duplicate-key message', () => {
    const table = newHashtable([['a', 1]]);
    expect(() => table.add('A', 2)).toThrow(
      "Item has already been added. Key in dictionary: 'a'  Key being added: 'A'",
    );
  });

  test('the API for splatting and calculated properties', () => {
    const table = newHashtable([
      ['n', 'Size'],
      ['e', 'x'],
    ]);
    expect(isHashtable(table)).toBe(true);
    expect(isHashtable({})).toBe(false);
    expect(hashtableEntries(table)).toEqual([
      ['n', 'Size'],
      ['e', 'x'],
    ]);
    expect(hashtableEntries('not a table')).toEqual([]);
  });

  test('adding tables copies both; the left one is not changed', () => {
    const left = newHashtable([['a', 1]]);
    const sum = addHashtables(left, newHashtable([['b', 2]]));
    expect(sum.count).toBe(2);
    expect(left.count).toBe(1);
  });
});
