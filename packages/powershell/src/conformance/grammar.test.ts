/**
 * Conformance: the grammar of the statements on main, as Windows PowerShell 5.1 reads it. Valid
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

interface GrammarCase extends ConformanceCase {
  /** A known difference from PowerShell 5.1: the case runs as test.fails until it is fixed. */
  bug?: string;
}

const PARSER_STRINGS = 'ParserStrings.resx, Parser.cs positions';

/** The console text of a parse error: PowerShell prints the position before the message. */
function parseError(
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
function invalid(
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

const foreachForm = 'The correct form is: foreach ($a in $b) {...}';

const validCases: GrammarCase[] = [
  {
    name: 'a pipeline continues on the next line after a trailing |',
    source: 'about_Parsing (line continuation), about_Pipelines',
    script: 'Get-VM |\n  Sort-Object Name |\n  Select-Object -ExpandProperty Name',
    output: lines('Db-01', 'Web-01'),
  },
  {
    name: 'a backtick at the end of a line continues the command',
    source: 'about_Special_Characters (line continuation), about_Parsing',
    script: 'Get-VM `\n  -Name Web-01 |\n  Select-Object -ExpandProperty Name',
    output: lines('Web-01'),
  },
  {
    name: 'line, block, inline and trailing comments are skipped',
    source: 'about_Comments',
    script: `# list the VMs
<# a block comment
   over two lines #>
(Get-VM | Measure-Object).Count # how many
Get-VM <# which one #> -Name Db-01 | Select-Object -ExpandProperty Name`,
    output: lines('2', 'Db-01'),
  },
  {
    name: 'semicolons separate statements; empty statements are skipped',
    source: 'about_Parsing; Parser.cs StatementListRule skips new lines and semicolons',
    script: ";'a';'b' ; ;'c';",
    output: lines('a', 'b', 'c'),
  },
  {
    name: 'blank lines, indentation and Windows line endings',
    source: 'about_Parsing',
    script: "\r\n  'a'\r\n\r\n\t'b'  \r\n",
    output: lines('a', 'b'),
  },
  {
    name: 'if, elseif and else with braces on their own lines',
    source: 'about_If',
    script: "if ($false)\n{\n  'no'\n}\nelseif ($true)\n{\n  'elseif'\n}\nelse\n{\n  'no'\n}",
    output: lines('elseif'),
  },
  {
    name: 'a statement may follow an if, foreach or try block on the same line',
    source:
      'Parser.cs StatementRule: only pipelines and flow statements need a terminator (statement-terminator in the grammar)',
    script: "if ($true) { 'a' } 'b'\nforeach ($n in 1) { $n } 'c'",
    output: lines('a', 'b', '1', 'c'),
  },
  {
    name: 'foreach, for and while with the block on the next line',
    source: 'about_Foreach, about_For, about_While',
    script:
      'foreach ($n in 1..2)\n{\n  "n=$n"\n}\nfor ($i = 0; $i -lt 2; $i++)\n{\n  "i=$i"\n}\n$w = 0\nwhile ($w -lt 1)\n{\n  $w++\n}\n$w',
    output: lines('n=1', 'n=2', 'i=0', 'i=1', '1'),
  },
  {
    name: 'do with while on the line after the block',
    source: 'about_Do; Parser.cs DoWhileStatementRule skips new lines before while/until',
    script: '$i = 0\ndo\n{\n  $i++\n}\nwhile ($i -lt 3)\n$i',
    output: lines('3'),
  },
  {
    name: 'try, catch and finally each on their own lines',
    source: 'about_Try_Catch_Finally',
    script: "try\n{\n  throw 'x'\n}\ncatch\n{\n  'caught'\n}\nfinally\n{\n  'finally'\n}",
    output: lines('caught', 'finally'),
  },
  {
    name: 'a function whose param() block spans lines, with a comment inside',
    source: 'about_Functions, about_Comments',
    script:
      'function Get-Double\n{\n  param(\n    # the number\n    [int]$Value = 2\n  )\n  $Value * 2\n}\nGet-Double\nGet-Double -Value 5',
    output: lines('4', '10'),
  },
  {
    name: 'a condition continues on the next line after -and',
    source: 'about_Parsing (an operator at the end of a line continues the expression)',
    script:
      "if ((Get-VM -Name Web-01).State -eq 'Running' -and\n    (Get-VM -Name Db-01).State -eq 'Off') { 'both' }",
    output: lines('both'),
  },
  {
    name: 'an array continues on the next line after a comma',
    source: 'about_Arrays, about_Parsing',
    script: "$names = 'a',\n  'b',\n  'c'\n$names.Count",
    output: lines('3'),
  },
  {
    name: 'a pipeline in parentheses spans lines',
    source: 'about_Parsing',
    script: "(Get-VM |\n  Where-Object { $_.State -eq 'Off' }).Name",
    output: lines('Db-01'),
  },
  {
    name: 'a script block spans lines',
    source: 'about_Script_Blocks',
    script: 'Get-VM | Sort-Object Name | ForEach-Object {\n  $_.Name.ToUpper()\n}',
    output: lines('DB-01', 'WEB-01'),
  },
  {
    name: 'binary operators need no space after them',
    source: 'about_Arithmetic_Operators (spaces around operators are optional)',
    script: '$a = 6\n$a /3\n$a *2\n$a %4\n$a +1\n$a -1',
    output: lines('2', '12', '2', '7', '5'),
  },
  {
    name: 'a cast applies to a script block too',
    source: 'about_Operators (cast operator [type]); PowerShell parses [type]{...} as a cast',
    script: '$b = [scriptblock]{ 1 }\n& $b',
    output: lines('1'),
  },
  {
    name: 'a multi-line block comment inside a pipeline',
    source: 'about_Comments',
    script:
      'Get-VM <# the VMs,\n sorted #> | Sort-Object Name | Select-Object -First 1 -ExpandProperty Name',
    output: lines('Db-01'),
  },
  {
    name: '# inside a string or inside a bareword is not a comment',
    source: 'about_Comments (a comment starts a token), about_Quoting_Rules',
    script: '\'a # not a comment\'\n"<# not a comment #>"\nWrite-Output a#b',
    output: lines('a # not a comment', '<# not a comment #>', 'a#b'),
  },
  {
    name: 'a backtick escape in a double-quoted string',
    source: 'about_Special_Characters (`t)',
    script: '"a`tb"',
    output: lines('a\tb'),
  },
  {
    name: 'an operator or = at the end of a line continues on the next',
    source: 'about_Parsing; Parser.cs skips new lines after a binary operator and after =',
    script: '1 +\n2\n$x =\n5\n$x',
    output: lines('3', '5'),
  },
  {
    name: 'a comment after a trailing | and between statements',
    source: 'about_Comments, about_Pipelines',
    script:
      "Get-VM | # the VMs\n  Sort-Object Name | Select-Object -ExpandProperty Name\n'a' # c1\n# c2\n'b'",
    output: lines('Db-01', 'Web-01', 'a', 'b'),
  },
  {
    name: '@( ) with one item per line',
    source: 'about_Arrays (array subexpression over several lines)',
    script: "$a = @(\n  'x'\n  'y'\n)\n$a.Count",
    output: lines('2'),
  },
];

const invalidCases: GrammarCase[] = [
  invalid(
    'a missing } is reported at the opening brace',
    'if ($true) {',
    [1, 12, 1],
    "Missing closing '}' in statement block or type definition.",
    'MissingEndCurlyBrace',
  ),
  invalid(
    'a missing } of a multi-line block is reported on the line of its {',
    'foreach ($vm in Get-VM) {\n  $vm.Name\n',
    [1, 25, 1],
    "Missing closing '}' in statement block or type definition.",
    'MissingEndCurlyBrace',
  ),
  invalid(
    'if without a block: at the closing parenthesis',
    'if ($true)',
    [1, 10, 1],
    'Missing statement block after if ( condition ).',
    'MissingStatementBlock',
    {
      note: 'Parser.cs reports it at rParen.Extent, the `)` itself',
    },
  ),
  invalid(
    'if with an empty condition: after the (',
    'if (',
    [1, 5, 1],
    "Missing condition in if statement after 'if ('.",
    'IfStatementMissingCondition',
  ),
  invalid(
    'if without its closing parenthesis: at the end of the script',
    'if ($true',
    [1, 10, 1],
    "Missing closing ')' after expression in 'if' statement.",
    'MissingEndParenthesisAfterStatement',
    { note: 'Parser.cs reports it at the token found instead of `)`: here the end of input' },
  ),
  invalid(
    'if without (: after the keyword',
    'if',
    [1, 3, 1],
    "Missing '(' after 'if' in if statement.",
    'MissingOpenParenthesisInIfStatement',
  ),
  invalid(
    'else without a block: after else',
    'if ($true) { } else',
    [1, 20, 1],
    "Missing statement block after 'else' keyword.",
    'MissingStatementBlockAfterElse',
  ),
  invalid(
    'elseif without (: after elseif',
    'if ($true) { } elseif',
    [1, 22, 1],
    "Missing '(' after 'elseif' in if statement.",
    'MissingOpenParenthesisInIfStatement',
  ),
  invalid(
    'foreach without a variable: after the (',
    'foreach (',
    [1, 10, 1],
    `Missing variable name after foreach. ${foreachForm}`,
    'MissingVariableNameAfterForeach',
  ),
  invalid(
    "foreach without 'in': after the variable",
    'foreach ($vm',
    [1, 13, 1],
    `Missing 'in' after variable in foreach loop. ${foreachForm}`,
    'MissingInInForeach',
  ),
  invalid(
    "foreach without a collection: after 'in'",
    'foreach ($vm in',
    [1, 16, 1],
    `Missing expression in foreach loop. ${foreachForm}`,
    'MissingForeachExpression',
  ),
  invalid(
    'foreach without its closing parenthesis: after the collection',
    'foreach ($vm in Get-VM',
    [1, 23, 1],
    `Missing closing ')' after expression part of foreach loop. ${foreachForm}`,
    'MissingEndParenthesisAfterForeach',
  ),
  invalid(
    'foreach without a body: after the )',
    'foreach ($vm in Get-VM)',
    [1, 24, 1],
    `Missing statement body in foreach loop. ${foreachForm}`,
    'MissingForeachStatement',
  ),
  invalid(
    'while without a body: after the )',
    'while ($true)',
    [1, 14, 1],
    'Missing statement body in while loop.',
    'MissingLoopStatement',
  ),
  invalid(
    'while without its closing parenthesis: after the condition',
    'while ($true',
    [1, 13, 1],
    "Missing closing ')' after expression in 'while' statement.",
    'MissingEndParenthesisAfterStatement',
  ),
  invalid(
    'for without a body: after the )',
    'for ($i = 0; $i -lt 3; $i++)',
    [1, 29, 1],
    'Missing statement body in for loop.',
    'MissingLoopStatement',
    {
      note: 'the ) is char 28; Parser.cs (ForStatementRule) reports After(rParen), char 29 (this case once expected 30, a miscount)',
    },
  ),
  invalid(
    'do without while or until: after the block',
    "do { 'x' }",
    [1, 11, 1],
    'Missing while or until keyword in do loop.',
    'MissingWhileOrUntilInDoWhile',
  ),
  invalid(
    'do-while without (: after while',
    "do { 'x' } while",
    [1, 17, 1],
    "Missing opening '(' after keyword 'while'.",
    'MissingOpenParenthesisAfterKeyword',
  ),
  invalid(
    'try without catch or finally: after the block',
    "try { 'x' }",
    [1, 12, 1],
    'The Try statement is missing its Catch or Finally block.',
    'MissingCatchOrFinally',
  ),
  invalid(
    'try without catch or finally before more lines: after the block',
    "try { }\n'next'",
    [1, 8, 1],
    'The Try statement is missing its Catch or Finally block.',
    'MissingCatchOrFinally',
  ),
  invalid(
    'the same with Windows line endings (CRLF): still after the block',
    "try { }\r\n'next'",
    [1, 8, 1],
    'The Try statement is missing its Catch or Finally block.',
    'MissingCatchOrFinally',
    {
      note: 'a .ps1 saved on Windows ends its lines in CRLF; PowerShell positions do not count the CR',
    },
  ),
  invalid(
    'try without a block: after try',
    'try',
    [1, 4, 1],
    'The Try statement is missing its statement block.',
    'MissingTryStatementBlock',
  ),
  invalid(
    'catch without a block: after catch',
    'try { } catch',
    [1, 14, 1],
    'The Catch block is missing its statement block.',
    'MissingCatchHandlerBlock',
  ),
  invalid(
    'catch [type] without a block: after the type',
    'try { } catch [System.Exception]',
    [1, 33, 1],
    'The Catch block is missing its statement block.',
    'MissingCatchHandlerBlock',
  ),
  invalid(
    'finally without a block: after finally',
    'try { } finally',
    [1, 16, 1],
    'The Finally block is missing its statement block.',
    'MissingFinallyStatementBlock',
  ),
  invalid(
    'function without a name: after function',
    'function',
    [1, 9, 1],
    'Missing name after function keyword.',
    'MissingNameAfterKeyword',
  ),
  invalid(
    'function without a body: after its name',
    'function Get-Thing',
    [1, 19, 1],
    'Missing function body in function declaration.',
    'MissingFunctionBody',
  ),
  invalid(
    'a pipeline ending in | at the end of the script: after the |',
    'Get-VM |',
    [1, 9, 1],
    'An empty pipe element is not allowed.',
    'EmptyPipeElement',
  ),
  invalid(
    'a pipeline ending in | followed by blank lines: after the |',
    'Get-VM |\n\n',
    [1, 9, 1],
    'An empty pipe element is not allowed.',
    'EmptyPipeElement',
  ),
  invalid(
    'a line starting with | (PowerShell 7 only): at the |',
    'Get-VM\n| Sort-Object Name',
    [2, 1, 1],
    'An empty pipe element is not allowed.',
    'EmptyPipeElement',
    {
      note: 'Windows PowerShell 5.1 has no leading-pipe continuation; the first element is empty, reported at the |',
    },
  ),
  invalid(
    'a missing ) of a parenthesised pipeline: after the pipeline',
    '(Get-VM',
    [1, 8, 1],
    "Missing closing ')' in expression.",
    'MissingEndParenthesisInExpression',
  ),
  invalid(
    'a missing ) of a subexpression: at the end of the script',
    '$(Get-VM',
    [1, 9, 1],
    "Missing closing ')' in subexpression.",
    'MissingEndParenthesisInSubexpression',
    {
      note: 'Parser.cs reports it at the token found instead of `)`: here the end of input',
    },
  ),
  invalid(
    "an unterminated '...' string: from its quote to the end",
    "'abc",
    [1, 1, 4],
    "The string is missing the terminator: '.",
    'TerminatorExpectedAtEndOfString',
  ),
  invalid(
    'an unterminated "..." string: from its quote to the end',
    '"VM $name',
    [1, 1, 9],
    'The string is missing the terminator: ".',
    'TerminatorExpectedAtEndOfString',
  ),
  invalid(
    'an unterminated <# comment: from <# to the end',
    '<# note',
    [1, 1, 7],
    "The terminator '#>' is missing from the multiline comment.",
    'MissingTerminatorMultiLineComment',
  ),
  invalid(
    'an assignment without a value: after the =',
    '$x =',
    [1, 5, 1],
    "You must provide a value expression following the '=' operator.",
    'ExpectedValueExpression',
  ),
  invalid(
    'a binary operator without its right operand: after the operator',
    '1 +',
    [1, 4, 1],
    "You must provide a value expression following the '+' operator.",
    'ExpectedValueExpression',
  ),
  invalid(
    'an index without an expression: after the [',
    '$a = 1, 2\n$a[',
    [2, 4, 1],
    'Array index expression is missing or not valid.',
    'MissingArrayIndexExpression',
  ),
  invalid(
    'an index without its ]: after the index',
    '$a = 1, 2\n$a[0',
    [2, 5, 1],
    "Missing ']' after array index expression.",
    'MissingEndSquareBracket',
  ),
  invalid(
    'a method call without its ): after the last argument',
    "'abc'.Replace('a'",
    [1, 18, 1],
    "Missing ')' in method call.",
    'MissingEndParenthesisInMethodCall',
  ),
  invalid(
    'a command argument list ending in a comma: after the comma',
    'Get-VM -Name Web-01,',
    [1, 21, 1],
    "Missing expression after ',' in pipeline element.",
    'MissingExpression',
  ),
  invalid(
    '& without a command: at the &',
    '&',
    [1, 1, 1],
    "Missing expression after '&' in pipeline element.",
    'MissingExpression',
  ),
];

/** Scripts that go on after the error: PowerShell prints more errors; the first must match. */
const firstErrorCases: GrammarCase[] = [
  {
    name: "foreach without 'in' before a collection: after the variable",
    source: `${PARSER_STRINGS} (MissingInInForeach: After(variable))`,
    script: 'foreach ($vm 1) { }',
    output: firstError([1, 13, 1], `Missing 'in' after variable in foreach loop. ${foreachForm}`),
    exitCode: 1,
  },
  {
    name: 'two values with no operator: at the second, quoted as written',
    source: `${PARSER_STRINGS} (UnexpectedToken: the token's text, quotes included)`,
    script: "'a' 'b'",
    output: firstError([1, 5, 3], "Unexpected token ''b'' in expression or statement."),
    exitCode: 1,
  },
  {
    name: 'an if condition cut by a brace: at the brace',
    source: `${PARSER_STRINGS} (MissingEndParenthesisAfterStatement at the token found)`,
    script: "if ($true { 'x' }",
    output: firstError([1, 11, 1], "Missing closing ')' after expression in 'if' statement."),
    exitCode: 1,
  },
];

/** Checks the first error's position lines and message (PowerShell prints more after it). */
function firstError(
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

function suite(title: string, cases: GrammarCase[]): void {
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

suite('grammar: valid forms run as in PowerShell 5.1', validCases);
suite('grammar: invalid forms give PowerShell 5.1 parse errors at its positions', invalidCases);
suite('grammar: the first parse error of a script that goes on', firstErrorCases);
