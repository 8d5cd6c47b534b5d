import { createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { PowerShellRun, runPowerShell } from '../index.js';
import type { StopReason } from '../index.js';
import { MAX_NESTING_DEPTH } from '../language/parser.js';

async function run(script: string, options: Parameters<typeof runPowerShell>[2] = {}) {
  const { host } = await createTestHost();
  return runPowerShell(host, script, options);
}

/** `$a` doubled `times` times with `@($a; $a)`. */
function doubling(times: number): string {
  return ['$a = 1, 2', ...Array.from({ length: times }, () => '$a = @($a; $a)'), '$a.Count'].join(
    '\n',
  );
}

describe('regular expressions run in linear time (re2js)', () => {
  test("'aaa…a!' -match '(a+)+$' answers False instead of backtracking for minutes", async () => {
    const r = await run(`'${'a'.repeat(50_000)}!' -match '(a+)+$'`);
    expect(r.errors).toEqual([]);
    expect(r.objects).toEqual([false]);
  });

  test('-match is case-insensitive, -cmatch is not, and $Matches holds the groups', async () => {
    const r = await run(
      "'VM-Web-042' -match 'web-(\\d+)'\n$Matches[0]\n$Matches[1]\n'VM-Web-042' -cmatch 'web'\n'2024-05' -match '(?<year>\\d{4})-(?<month>\\d\\d)'\n$Matches.year\n$Matches['month']",
    );
    expect(r.errors).toEqual([]);
    expect(r.objects).toEqual([true, 'Web-042', '042', false, true, '2024', '05']);
  });

  test('-match on an array filters it; -notmatch keeps the rest', async () => {
    const r = await run("'web1', 'db1', 'WEB2' -match '^web'");
    expect(r.objects).toEqual(['web1', 'WEB2']);
    const not = await run("'web1', 'db1', 'WEB2' -notmatch '^web'");
    expect(not.objects).toEqual(['db1']);
  });

  test('a backreference or lookaround is refused with a clear error, not run on a backtracking engine', async () => {
    const r = await run("'abab' -match '(ab)\\1'\n'after'");
    expect(r.errors[0]?.fullyQualifiedErrorId).toBe('UnsupportedRegularExpression');
    expect(r.errors[0]?.message).toContain('lookahead, lookbehind or a backreference');
    // A statement-terminating error: the next statement still runs.
    expect(r.objects).toEqual(['after']);
  });

  test("an invalid pattern gives PowerShell's InvalidRegularExpression error", async () => {
    const r = await run("'x' -match '('");
    expect(r.errors[0]?.message).toBe('The regular expression pattern ( is not valid.');
    expect(r.errors[0]?.fullyQualifiedErrorId).toBe('InvalidRegularExpression');
  });

  test('-like wildcards with many stars over a long string answer at once; -clike is case-sensitive', async () => {
    const r = await run(
      `'${'a'.repeat(50_000)}' -like '*a*a*a*a*a*a*a*a*a*a*b'\n'Web' -like 'w*'\n'Web' -clike 'w*'`,
    );
    expect(r.objects).toEqual([false, true, false]);
  });
});

describe('-replace and -split run on the same engine', () => {
  test('-replace substitutes groups as .NET does and is case-insensitive unless -creplace', async () => {
    const r = await run(
      [
        "'Web-042' -replace 'web-(\\d+)', 'VM $1'",
        "'2024-05' -replace '(?<y>\\d{4})-(?<m>\\d\\d)', '${m}/${y} ($0, $$)'",
        "'Web' -creplace 'web', 'x'",
        "'a1', 'b2' -replace '\\d'",
      ].join('\n'),
    );
    expect(r.errors).toEqual([]);
    expect(r.objects).toEqual(['VM 042', '05/2024 (2024-05, $)', 'Web', 'a', 'b']);
  });

  test('-split splits on a pattern, keeps captured separators and takes a maximum', async () => {
    const r = await run(
      "@('a, b,c' -split ',\\s*').Count\n'a1b2c' -split '(\\d)'\n@('a,b,c' -split ',', 2)[1]",
    );
    expect(r.errors).toEqual([]);
    expect(r.objects).toEqual([3, 'a', '1', 'b', '2', 'c', 'b,c']);
  });

  test('-replace that would build a string past the limit is refused while building', async () => {
    const r = await run(`'${'a'.repeat(1000)}' -replace 'a', '${'b'.repeat(1000)}'`, {
      limits: { maxStringLength: 10_000 },
    });
    expect(r.errors[0]?.fullyQualifiedErrorId).toBe('ScriptLimitExceeded');
  });

  test("-replace '(a+)+$' over a long string answers at once", async () => {
    const r = await run(`('${'a'.repeat(50_000)}!' -replace '(a+)+$', 'x').Length`);
    expect(r.objects).toEqual([50_001]);
  });
});

describe('budgets end a run with a terminating error record of their own', () => {
  test('doubling an array past the collection limit stops the script', async () => {
    const r = await run(`${doubling(30)}\n'not reached'`, { limits: { maxCollectionItems: 1000 } });
    expect(r.hadTerminatingError).toBe(true);
    expect(r.objects).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]?.fullyQualifiedErrorId).toBe('ScriptLimitExceeded');
    expect(r.errors[0]?.message).toBe(
      'The script built an array of more than 1000 items. (a limit of this server, not a PowerShell error)',
    );
  });

  test('nested loops stop at the step budget', async () => {
    const r = await run(
      `${doubling(8).replace('$a.Count', '')}\n$a | ForEach-Object { $a | ForEach-Object { $_ } } | Out-Null\n'not reached'`,
      { limits: { maxSteps: 10_000 } },
    );
    expect(r.hadTerminatingError).toBe(true);
    expect(r.objects).toEqual([]);
    expect(r.errors[0]?.message).toContain('more than 10000 steps');
  });

  test('a string nested in itself forty times is refused, not printed', async () => {
    const script = ['$a = 1', ...Array.from({ length: 40 }, () => '$a = $a, $a'), '"$a"'].join(
      '\n',
    );
    const r = await run(script, { limits: { maxStringLength: 1000 } });
    expect(r.hadTerminatingError).toBe(true);
    expect(r.errors[0]?.fullyQualifiedErrorId).toBe('ScriptLimitExceeded');
  });

  test('String.Replace that would build a huge string is refused before building it', async () => {
    const r = await run(
      `$s = '${'a'.repeat(1000)}'\n$s = $s.Replace('a', $s)\n$s = $s.Replace('a', $s)\n$s.Length`,
      { limits: { maxStringLength: 100_000 } },
    );
    expect(r.errors[0]?.message).toContain('a string of more than 100000 characters');
    expect(r.objects).toEqual([]);
  });

  test('output beyond its limit is cut and the run ends with the limit record', async () => {
    const r = await run(doubling(6).replace('$a.Count', '$a'), {
      limits: { maxOutputObjects: 50 },
    });
    expect(r.hadTerminatingError).toBe(true);
    expect(r.objects).toHaveLength(50);
    expect(r.errors[0]?.message).toContain('more than 50 output objects');
  });
});

describe('the parser limits nesting instead of overflowing its stack', () => {
  test('2000 nested parentheses are a parse error', async () => {
    const r = await run(`${'('.repeat(2000)}1${')'.repeat(2000)}`);
    expect(r.hadTerminatingError).toBe(true);
    expect(r.errors[0]?.fullyQualifiedErrorId).toBe('ScriptNestedTooDeeply');
    expect(r.output).toContain('At line:1 char:');
  });

  test.each([
    ['subexpressions', (n: number) => `${'$('.repeat(n)}1${')'.repeat(n)}`],
    ['script blocks', (n: number) => `${'{'.repeat(n)}1${'}'.repeat(n)}`],
    ['-not', (n: number) => `${'!'.repeat(n)}$true`],
    ['comparison chains', (n: number) => `1${' -eq 1'.repeat(n)}`],
    ['member chains', (n: number) => `$x${'.a'.repeat(n)}`],
    ['strings in strings', (n: number) => `${'"$('.repeat(n)}1${')"'.repeat(n)}`],
    // Each argument list starts a new expression: 7600 of these overflowed the stack in-process.
    ['method arguments', (n: number) => `${"'a'.Replace('a', ".repeat(n)}'b'${')'.repeat(n)}`],
    ['indexes', (n: number) => `$a = 0\n${'$a['.repeat(n)}0${']'.repeat(n)}`],
  ])('deep %s are a parse error', async (_what, build) => {
    const r = await run(build(5000));
    expect(r.errors[0]?.fullyQualifiedErrorId).toBe('ScriptNestedTooDeeply');
  });

  test('method arguments and indexes within the limit still run', async () => {
    const depth = MAX_NESTING_DEPTH - 5;
    const r = await run(
      `${"'a'.Replace('a', ".repeat(depth)}'b'${')'.repeat(depth)}\n$a = 0\n${'$a['.repeat(depth)}0${']'.repeat(depth)}`,
    );
    expect(r.errors).toEqual([]);
    expect(r.objects).toEqual(['b', 0]);
  });

  test('nesting within the limit still runs', async () => {
    const depth = MAX_NESTING_DEPTH - 5;
    const r = await run(`${'('.repeat(depth)}42${')'.repeat(depth)}`);
    expect(r.errors).toEqual([]);
    expect(r.objects).toEqual([42]);
  });
});

describe('stopping a run', () => {
  test('a stopped run ends at its next step with the output so far and no error record', async () => {
    const { host } = await createTestHost();
    let stop: StopReason | null = null;
    let steps = 0;
    const run = new PowerShellRun(host, "'first'\n$a = 1, 2, 3\n$a | ForEach-Object { $_ }", {
      shouldStop: () => {
        steps++;
        // Ctrl+C once the first statement has printed.
        if (run.outputSoFar() !== '') stop = 'stopped';
        return stop;
      },
    });
    const r = await run.run();
    expect(steps).toBeGreaterThan(0);
    expect(run.stopped).toBe(true);
    expect(r.output).toBe('first\n');
    expect(r.errors).toEqual([]);
    expect(r.objects).toEqual(['first']);
  });

  test('console text is passed on while the run goes, all of it by the end', async () => {
    const { host } = await createTestHost();
    const pieces: string[] = [];
    const run = new PowerShellRun(host, "'one'\n'two'\n'three'", {}, (text) => pieces.push(text));
    const r = await run.run();
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.join('')).toBe(r.output);
  });

  test('the wall-clock limit ends the run with its own terminating record', async () => {
    const r = await run("'first'\n'second'", { shouldStop: () => 'timeout' });
    expect(r.hadTerminatingError).toBe(true);
    expect(r.errors[0]?.message).toContain('ran longer than its time limit');
  });
});
