import { describe, expect, test } from 'vitest';
import { PsObject, ScriptBlock, customObjectType } from '../runtime/values.js';
import { calculatedPropertyOf, propertyArguments } from './calculatedProperty.js';
import { selectObject } from './selectObject.js';
import { sortObject } from './sortObject.js';
import type { CmdletContext } from './types.js';

const block = (text: string): ScriptBlock => new ScriptBlock([], text);

/** A context whose script blocks return the input's property named by the block's text. */
function fakeContext(written: unknown[]): CmdletContext {
  return {
    write: (v: unknown) => written.push(v),
    writeError: (e: unknown) => {
      throw e;
    },
    runScriptBlock: (b: ScriptBlock, item: unknown) =>
      Promise.resolve([item instanceof PsObject ? item.get(b.text.trim()) : null]),
  } as unknown as CmdletContext;
}

describe('calculated properties (hashtables in -Property)', () => {
  test('Name/N/Label/L and Expression/E by unambiguous prefix', () => {
    expect(
      calculatedPropertyOf(
        [
          ['n', 'Mem'],
          ['e', 'MemoryStartup'],
        ],
        'select',
      ),
    ).toEqual({
      name: 'Mem',
      expression: 'MemoryStartup',
    });
    expect(
      calculatedPropertyOf(
        [
          ['Label', 'X'],
          ['Expression', block('State')],
        ],
        'select',
      ).name,
    ).toBe('X');
    expect(calculatedPropertyOf([['E', block(' State ')]], 'select').name).toBe('State');
  });

  test("unknown and missing keys are PowerShell's binding errors", () => {
    expect(() =>
      calculatedPropertyOf(
        [
          ['Foo', 1],
          ['e', 'x'],
        ],
        'select',
      ),
    ).toThrow('The Foo key is not valid.');
    expect(() => calculatedPropertyOf([['n', 'x']], 'select')).toThrow(
      'A mandatory entry for Expression is missing.',
    );
    // Sort-Object takes Ascending/Descending, Select-Object does not.
    expect(() =>
      calculatedPropertyOf(
        [
          ['e', 'x'],
          ['Descending', true],
        ],
        'select',
      ),
    ).toThrow('The Descending key is not valid.');
    expect(
      calculatedPropertyOf(
        [
          ['e', 'x'],
          ['Descending', true],
        ],
        'sort',
      ).descending,
    ).toBe(true);
  });

  test('Select-Object builds the calculated column from a hashtable literal', async () => {
    const written: unknown[] = [];
    const vm = new PsObject('Microsoft.HyperV.PowerShell.VirtualMachine', {
      Name: 'Web-01',
      State: 'Running',
    });
    const hashtable = new Map<string, unknown>([
      ['n', 'X'],
      ['e', block('State')],
    ]);
    await selectObject.end?.(fakeContext(written), { Property: ['Name', hashtable] }, [vm]);
    expect(written).toEqual([new PsObject(customObjectType, { Name: 'Web-01', X: 'Running' })]);
  });

  test('Sort-Object takes each hashtable key with its own order', async () => {
    const written: unknown[] = [];
    const rows = [
      ['Off', 'b'],
      ['Running', 'a'],
      ['Off', 'a'],
    ].map(([State, Name]) => new PsObject(customObjectType, { State, Name }));
    const byStateDescending = new Map<string, unknown>([
      ['Expression', 'State'],
      ['Descending', true],
    ]);
    await sortObject.end?.(fakeContext(written), { Property: [byStateDescending, 'Name'] }, rows);
    expect(
      written.map(
        (r) => `${String((r as PsObject).get('State'))} ${String((r as PsObject).get('Name'))}`,
      ),
    ).toEqual(['Running a', 'Off a', 'Off b']);
  });

  test('names and script blocks pass through', () => {
    const b = block('$_.x');
    expect(propertyArguments(['Name', b], 'select')).toEqual(['Name', b]);
  });
});

describe('the hashtable adapter', () => {
  test('reads any value shaped as the language hashtable (typeName and entries())', () => {
    const literal = {
      typeName: 'System.Collections.Hashtable',
      entries: (): [unknown, unknown][] => [
        ['Name', 'X'],
        ['Expression', 'State'],
      ],
    };
    expect(propertyArguments([literal], 'select')).toEqual([{ name: 'X', expression: 'State' }]);
    const [other] = propertyArguments([{ typeName: 'Other', entries: () => [] }], 'select');
    expect(typeof other).toBe('string');
  });
});
