import { describe, expect, it } from 'vitest';
import { splitConsoleText } from './consoleText.js';

describe('splitConsoleText', () => {
  it('puts error records on err and the rest on out, in order', () => {
    const output = 'one\nE1\ntwo\nE2\n';
    expect(splitConsoleText(output, [{ text: 'E1\n' }, { text: 'E2\n' }])).toEqual([
      { stream: 'out', text: 'one\n' },
      { stream: 'err', text: 'E1\n' },
      { stream: 'out', text: 'two\n' },
      { stream: 'err', text: 'E2\n' },
    ]);
  });

  it('keeps an error whose text is not in the output, at the end', () => {
    expect(splitConsoleText('out\n', [{ text: 'lost\n' }])).toEqual([
      { stream: 'out', text: 'out\n' },
      { stream: 'err', text: 'lost\n' },
    ]);
  });

  it('handles output that is nothing but errors, and no output', () => {
    expect(splitConsoleText('E\n', [{ text: 'E\n' }])).toEqual([{ stream: 'err', text: 'E\n' }]);
    expect(splitConsoleText('', [])).toEqual([]);
  });
});
