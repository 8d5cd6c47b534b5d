/**
 * Conformance support: the grammar of the statements on main, as Windows PowerShell 5.1 reads it. Valid
 * forms (line breaks, `#` and `<# #>` comments, backtick continuation, semicolons and empty
 * statements, pipelines across lines ending in `|`, braces on their own lines) with the console
 * text they give; invalid forms with PowerShell's parse error: its message (ParserStrings.resx),
 * `At line:N char:M` and the `~` underline.
 *
 * Where the positions come from: PowerShell's parser reports most incomplete statements at an
 * empty extent right after the last token it accepted (`After(token)` in Parser.cs), a missing
 * `}` at the opening brace, a missing `)` after an if condition at the token found instead, and an
 * unterminated string or comment from its first character to the end of the script. The console
 * prints the start line, then one `~` per character of the extent (at least one), under it
 * (Position.cs VerboseMessage). We read these rules in PowerShell/PowerShell's first public
 * commit (60b3b304f2, 2016, the parser Windows PowerShell 5.1 shipped), not in a 5.1 transcript:
 * every position below is that reading, and says so in its note where it is not a plain `After`.
 *
 * PowerShell's parser goes on after an error and reports every error of the script in one record;
 * ours stops at the first. The invalid forms below end where the error is, so PowerShell reports
 * that one error only; `firstErrorCases` check the first error of scripts that go on.
 *
 * A case with `bug` is a difference from PowerShell 5.1 found here: it runs as `test.fails` and
 * turns green (then fails as "expected to fail") when the bug is fixed; remove `bug` then.
 */
import { describe, expect, test } from 'vitest';
import type { ConformanceCase } from './harness.js';
import { lines, runConformance } from './harness.js';

export interface GrammarCase extends ConformanceCase {
  /** A known difference from PowerShell 5.1: the case runs as test.fails until it is fixed. */
  bug?: string;
}

export const PARSER_STRINGS = 'ParserStrings.resx, Parser.cs positions';

/** The console text of a parse error: PowerShell prints the position before the message. */
export function parseError(
  script: string,
  [line, char, width]: [number, number, number],
  message: string,
  errorId: string,
): string {
  const text = script.split('\n')[line - 1]?.replace(/\r$/, '').trimEnd() ?? '';
  return lines(
    `At line:${line} char:${char}`,
    `+ ${text}`,
    `+ ${' '.repeat(char - 1)}${'~'.repeat(width)}`,
    message,
    '    + CategoryInfo          : ParserError: (:) [], ParentContainsErrorRecordException',
    `    + FullyQualifiedErrorId : ${errorId}`,
  );
}

/** An invalid script: PowerShell's one parse error, exit code 1 (R29). */
export function invalid(
  name: string,
  script: string,
  at: [number, number, number],
  message: string,
  errorId: string,
  extra: Partial<GrammarCase> = {},
): GrammarCase {
  return {
    name,
    source: `${PARSER_STRINGS} (${errorId})`,
    script,
    output: parseError(script, at, message, errorId),
    exitCode: 1,
    ...extra,
  };
}

export const foreachForm = 'The correct form is: foreach ($a in $b) {...}';

/** Checks the first error's position lines and message (PowerShell prints more after it). */
export function firstError(
  [line, char, width]: [number, number, number],
  message: string,
): (result: { output: string }) => void {
  return (result) => {
    const [at, , marker, text] = result.output.split('\n');
    expect([at, marker?.slice(2 + char - 1), text]).toEqual([
      `At line:${line} char:${char}`,
      '~'.repeat(width),
      message,
    ]);
  };
}

export function suite(title: string, cases: GrammarCase[]): void {
  describe(title, () => {
    for (const c of cases) {
      const check = async (): Promise<void> => {
        const result = await runConformance(c.script);
        if (typeof c.output === 'function') c.output(result);
        else expect(result.output).toBe(c.output);
        expect(result.exitCode).toBe(c.exitCode ?? 0);
      };
      const name = `${c.name} (${c.source})`;
      if (c.bug === undefined) test(name, check);
      else test.fails(`${name} [bug: ${c.bug}]`, check);
    }
  });
}
