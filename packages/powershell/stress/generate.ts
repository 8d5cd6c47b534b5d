/**
 * Random PowerShell scripts for the fuzzer: grammar-based ones built from the constructs the
 * language subset supports (README "Language subset"), and mutations of them (byte flips,
 * truncations, deep nesting, huge literals, odd Unicode). The same seed gives the same script.
 */
import type { Random } from '@hvm/stress-support';

const VM_NAMES = ['Web-01', 'Db-01', 'NoSuch', 'Web*', '*', "'Web-01'", '"Db-01"'];
const VARIABLES = ['$a', '$b', '$i', '$vm', '$list', '$_', '$null', '$true', '$false', '$args'];
const COMPARISONS = ['-eq', '-ne', '-gt', '-lt', '-ge', '-le', '-like', '-notlike', '-match'];
const MORE_OPERATORS = ['-replace', '-split', '-contains', '-notin', '-in', '-ceq', '-cmatch'];
const ARITHMETIC = ['+', '-', '*', '/', '%'];
const METHODS = ['ToString()', 'ToUpper()', 'Trim()', "Contains('a')", "Replace('a', 'b')"];
const TYPES = ['[int]', '[string]', '[bool]', '[double]', '[array]', '[void]'];
const COMMANDS = [
  'Get-VM',
  'Get-VMSnapshot -VMName Web-01',
  'Write-Output',
  'Write-Host',
  'Get-Date',
  'Get-Command',
  'Get-Nothing',
  // On the Off VM: a running VM's checkpoints save its memory, four times slower.
  'Checkpoint-VM -Name Db-01 -SnapshotName fuzz',
];
const FILTERS = [
  'Where-Object { $_.State -eq "Running" }',
  'Where-Object Name -like W*',
  'ForEach-Object { $_ }',
  'ForEach-Object { $_.Name }',
  'Select-Object -First 1',
  'Select-Object Name, State',
  'Sort-Object Name -Descending',
  'Measure-Object',
  'Out-Null',
  'Out-String',
  'Format-Table',
  'Format-List',
  'ConvertTo-Json -Compress',
];

/** Grammar-based scripts: statements of the subset, nested up to a small depth. */
export class ScriptGenerator {
  constructor(private readonly random: Random) {}

  script(): string {
    const count = 1 + this.random.int(6);
    const statements = Array.from({ length: count }, () => this.statement(3));
    return statements.join(this.separator());
  }

  private separator(): string {
    return this.random.pick(['\n', '; ', '\r\n', '\n\n', ' # note\n', ' <# block #>\n', ';']);
  }

  private space(): string {
    return this.random.pick([' ', ' ', ' ', '  ', ' `\n  ', ' <# c #> ', '\t']);
  }

  private block(depth: number): string {
    const count = this.random.int(3);
    const body = Array.from({ length: count }, () => this.statement(depth - 1)).join(
      this.separator(),
    );
    return this.random.chance(0.3) ? `{\n  ${body}\n}` : `{ ${body} }`;
  }

  statement(depth: number): string {
    const r = this.random;
    if (depth <= 0) return r.chance(0.5) ? this.pipeline(0) : this.assignment(0);
    switch (r.int(16)) {
      case 0: {
        const elseifs = Array.from(
          { length: r.int(2) },
          () => ` elseif (${this.expression(1)}) ${this.block(depth)}`,
        ).join('');
        const elsePart = r.chance(0.5) ? `${r.pick([' ', '\n'])}else ${this.block(depth)}` : '';
        return `if (${this.expression(1)}) ${this.block(depth)}${elseifs}${elsePart}`;
      }
      case 1:
        return `foreach (${r.pick(['$x', '$vm', '$i'])} in ${this.expression(1)}) ${this.block(depth)}`;
      case 2:
        return `for ($i = 0; $i -lt ${r.int(5)}; $i++) ${this.block(depth)}`;
      case 3:
        return `$n = 0; while ($n -lt ${r.int(4)}) { $n++; ${this.statement(depth - 1)} }`;
      case 4:
        return `do ${this.block(depth)} ${r.pick(['while', 'until'])} (${this.expression(1)})`;
      case 5: {
        const types = r.pick([
          '',
          '[System.Management.Automation.RuntimeException] ',
          '[System.Exception] ',
        ]);
        const finallyPart = r.chance(0.5) ? ` finally ${this.block(depth)}` : '';
        return `try ${this.block(depth)} catch ${types}${this.block(depth)}${finallyPart}`;
      }
      case 6: {
        const name = r.pick(['Test-It', 'Get-Thing', 'f']);
        const params = r.pick(['', 'param($x) ', 'param([int]$Count = 2, [switch]$Force) ']);
        return `function ${name} { ${params}${this.statement(depth - 1)} }${this.separator()}${name} ${r.pick(['', '1', '-x 2', 'a b'])}`;
      }
      case 7:
        return `$sb = { param($p) ${this.statement(depth - 1)} }; & $sb ${this.expression(0)}; $sb.Invoke(1)`;
      case 8:
        return r.chance(0.5)
          ? r.pick(['break', 'continue', 'return', 'exit 3', 'throw', 'throw "bad"'])
          : this.hostile();
      case 9:
      case 10:
      case 11:
        return this.pipeline(depth);
      default:
        return this.assignment(depth);
    }
  }

  /** Statements that build big or deep values at run time, the budgets' business. */
  private hostile(): string {
    const r = this.random;
    const turns = r.pick([10, 300, 5000]);
    const tail = r.pick([
      '$a.Name',
      '$a | Measure-Object',
      '"$a"',
      '$a | ConvertTo-Json -Depth 100',
      '$a.Count',
      '@($a).Count',
      '$a | Sort-Object',
    ]);
    return r.pick([
      `$a = 1, 2; for ($k = 0; $k -lt ${turns}; $k++) { $a = $a, 1 }; ${tail}`,
      `$a = 'x'; for ($k = 0; $k -lt ${turns}; $k++) { $a += $a }; ${tail}`,
      `$a = 1, 2; for ($k = 0; $k -lt ${turns}; $k++) { $a = @($a; $a) }; ${tail}`,
      `$a = @(); foreach ($k in 1..${turns}) { $a += $k }; ${tail}`,
      `function r($n) { if ($n -gt 0) { r ($n - 1) } else { ${tail} } }; $a = 1..3; r ${r.pick([5, 99, 150])}`,
      `$a = 'ab' * ${turns}; ($a -split '') .Count; $a -replace '', '-' | Out-Null; ${tail}`,
      `$a = ${r.pick(['1..' + String(turns), "'a', 'b'", '$null', '@()'])}; ${tail}`,
    ]);
  }

  private assignment(depth: number): string {
    const r = this.random;
    const target = r.pick(['$a', '$b', '$list', '$null', '$i']);
    const operator = r.pick(['=', '=', '+=', '-=']);
    if (r.chance(0.1)) return `${target}${r.pick(['++', '--'])}`;
    return `${target} ${operator} ${r.chance(0.3) ? this.pipeline(depth) : this.expression(depth)}`;
  }

  pipeline(depth: number): string {
    const r = this.random;
    const head = r.chance(0.5) ? this.command() : this.expression(depth);
    const stages = Array.from({ length: r.int(3) }, () => r.pick(FILTERS));
    const joiner = r.pick([' | ', ' |\n  ', '|']);
    return [head, ...stages].join(joiner);
  }

  private command(): string {
    const r = this.random;
    const command = r.pick(COMMANDS);
    if (command === 'Get-VM' && r.chance(0.6))
      return `Get-VM${this.space()}-Name ${r.pick(VM_NAMES)}${r.chance(0.3) ? ' -ErrorAction ' + r.pick(['Stop', 'SilentlyContinue', 'Continue', 'Ignore']) : ''}`;
    if (command === 'Write-Output' || command === 'Write-Host')
      return `${command} ${this.expression(0)}`;
    return command;
  }

  expression(depth: number): string {
    const r = this.random;
    if (depth <= 0 || r.chance(0.35)) return this.primary(depth);
    switch (r.int(7)) {
      case 0:
        return `${this.primary(depth - 1)} ${r.pick(COMPARISONS)} ${this.primary(depth - 1)}`;
      case 1:
        return `${this.primary(depth - 1)} ${r.pick(MORE_OPERATORS)} ${this.primary(depth - 1)}`;
      case 2:
        return `${this.primary(depth - 1)}${r.pick(['', ' '])}${r.pick(ARITHMETIC)}${r.pick(['', ' '])}${this.primary(depth - 1)}`;
      case 3:
        return `${this.expression(depth - 1)} ${r.pick(['-and', '-or'])} ${r.pick(['', '-not ', '!'])}${this.expression(depth - 1)}`;
      case 4:
        return `${r.int(4)}..${r.int(6)}`;
      case 5:
        return `${r.pick(TYPES)}${this.primary(depth - 1)}`;
      default:
        return `${this.primary(depth - 1)}, ${this.primary(depth - 1)}`;
    }
  }

  private primary(depth: number): string {
    const r = this.random;
    switch (r.int(12)) {
      case 0:
        return String(r.int(100) - 10);
      case 1:
        return r.pick(['1GB', '2.5', '0', '-3', '1kb', '10MB']);
      case 2:
        return `'${r.pick(['a', 'Web-01', "it''s", '', '$notExpanded', 'x y'])}'`;
      case 3:
        return `"${r.pick(['a', 'VM $a', 'n=$($i + 1)', '`t tab', '""quoted""', '$($vm.Name)'])}"`;
      case 4:
        return `(${depth > 0 ? this.pipeline(depth - 1) : this.command()})${r.chance(0.4) ? '.' + r.pick(['Name', 'Count', 'State', 'Length']) : ''}`;
      case 5:
        return `@(${depth > 0 ? this.statement(depth - 1) : ''})${r.chance(0.5) ? '.Count' : ''}`;
      case 6:
        return `$(${depth > 0 ? this.expression(depth - 1) : '1'})`;
      case 7:
        return `${r.pick(VARIABLES)}${r.chance(0.3) ? '.' + r.pick(METHODS) : ''}`;
      case 8:
        return `${r.pick(VARIABLES)}[${r.int(3) - 1}]`;
      case 9:
        return `{ ${depth > 0 ? this.statement(depth - 1) : '$_'} }`;
      case 10:
        return r.pick(['$?', '$Error.Count', '$Error[0]', '$input', '$PSItem']);
      default:
        return `'${r.pick(['abc', 'Web-01'])}'.${r.pick(METHODS)}`;
    }
  }
}

const ODD_TEXT = [
  '\u0000',
  '\u00a0',
  '\u200b',
  '\u200e',
  '\u202e',
  '\ufeff',
  '\ud800',
  '\udc00',
  '\ud83d\ude00',
  '\u2013',
  '\u2014',
  '\u2018',
  '\u2019',
  '\u201c',
  '\u201d',
  '\uff37\uff45\uff42',
  '\u0130',
  '\r',
  '`',
  '$',
  '@',
  '${',
  '[',
  ']',
  '<#',
  '#>',
  '::',
  '..',
  '&',
  '"',
  "'",
  '(',
  ')',
  '{',
  '}',
  '|',
  ';',
  ',',
  '=',
  '-',
  '!',
];

/** What a mutation did, for the failure report. */
export type MutationKind =
  'none' | 'flip' | 'truncate' | 'delete' | 'duplicate' | 'nest' | 'huge-literal' | 'unicode';

/** A mutated copy of `script`: the kind of damage a typing slip, a bad paste or an attacker does. */
export function mutate(random: Random, script: string): { script: string; kind: MutationKind } {
  const at = (): number => random.int(script.length + 1);
  switch (random.int(8)) {
    case 0: {
      let out = script;
      for (let n = 1 + random.int(4); n > 0; n--) {
        const i = random.int(Math.max(1, out.length));
        out = out.slice(0, i) + random.pick(ODD_TEXT) + out.slice(i + 1);
      }
      return { script: out, kind: 'flip' };
    }
    case 1:
      return { script: script.slice(0, at()), kind: 'truncate' };
    case 2: {
      const from = at();
      return {
        script: script.slice(0, from) + script.slice(from + random.int(20)),
        kind: 'delete',
      };
    }
    case 3: {
      const from = at();
      const piece = script.slice(from, from + 1 + random.int(40));
      return {
        script: script.slice(0, from) + piece + piece + script.slice(from),
        kind: 'duplicate',
      };
    }
    case 4:
      return { script: nest(random, script), kind: 'nest' };
    case 5:
      return { script: hugeLiteral(random, script), kind: 'huge-literal' };
    case 6: {
      const i = at();
      const text = Array.from({ length: 1 + random.int(5) }, () => random.pick(ODD_TEXT)).join('');
      return { script: script.slice(0, i) + text + script.slice(i), kind: 'unicode' };
    }
    default:
      return { script, kind: 'none' };
  }
}

/** Wraps the script, or a piece of it, in many levels of one construct (around the parse limit). */
function nest(random: Random, script: string): string {
  const depth = random.pick([50, 199, 200, 201, 400, 3000]);
  const [open, close] = random.pick([
    ['(', ')'],
    ['$(', ')'],
    ['@(', ')'],
    ['{', '}'],
    ['& {', '}'],
    ['if ($true) {', '}'],
    ['"$(', ')"'],
    ['[int](', ')'],
    ['!(', ')'],
    ['-not (', ')'],
  ] as const);
  const inner = random.chance(0.5) ? '1' : script;
  const balanced = random.chance(0.8);
  return open.repeat(depth) + inner + (balanced ? close.repeat(depth) : close.repeat(depth - 1));
}

function hugeLiteral(random: Random, script: string): string {
  const length = random.pick([1_000, 10_000, 100_000, 300_000]);
  const literal = random.pick([
    () => `'${'a'.repeat(length)}'`,
    () => `"${'$a'.repeat(length / 2)}"`,
    () => '9'.repeat(Math.min(length, 5000)),
    () => `${'9'.repeat(400)}GB`,
    () => `1${'0'.repeat(330)}`,
    () => `$${'v'.repeat(length)}`,
    () => `Get-VM -Name ${'x'.repeat(length)}`,
    () => `${'1,'.repeat(length / 2)}1`,
    () => `${'$a + '.repeat(length / 5)}1`,
    () => `'a' * ${length}`,
    () => `'${"''".repeat(length / 2)}'`,
    () => `${'"'.repeat(length)}`,
    () => `#${'x'.repeat(length)}\n'after'`,
    () => `<#${'x'.repeat(length)}`,
  ])();
  const i = random.int(script.length + 1);
  return `${script.slice(0, i)}\n${literal}\n${script.slice(i)}`;
}
