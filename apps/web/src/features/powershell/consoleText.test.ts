import { describe, expect, it } from 'vitest';
import { splitConsoleText } from './consoleText';

describe('splitConsoleText', () => {
  it('marks error records and warning, verbose and debug lines, in order', () => {
    const error = 'Get-VM : not found\n';
    const output = `VM1\nWARNING: low disk\n${error}VERBOSE: done\nend\n`;
    expect(
      splitConsoleText(
        output,
        [{ text: error }],
        [
          { stream: 'warning', text: 'WARNING: low disk\n' },
          { stream: 'verbose', text: 'VERBOSE: done\n' },
        ],
      ),
    ).toEqual([
      { kind: 'output', text: 'VM1\n' },
      { kind: 'warning', text: 'WARNING: low disk\n' },
      { kind: 'error', text: error },
      { kind: 'verbose', text: 'VERBOSE: done\n' },
      { kind: 'output', text: 'end\n' },
    ]);
  });

  it('a string that only looks like a warning stays output when the server did not list it', () => {
    expect(splitConsoleText('WARNING: typed by a script\n', [])).toEqual([
      { kind: 'output', text: 'WARNING: typed by a script\n' },
    ]);
  });
});
