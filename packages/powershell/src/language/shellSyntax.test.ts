/** The parser's shell syntax: hash literals, splatting, here-strings, attributes, labels, switch, trap. */
import { describe, expect, test } from 'vitest';
import { PsParseError } from '../errors.js';
import { tokenize } from './lexer.js';
import { parseScript } from './parser.js';

describe('the lexer', () => {
  test('a bareword key in a hash literal ends at =, elsewhere it does not', () => {
    const texts = tokenize('@{a=1}; Write-Output x=y').map((t) => `${t.kind}:${t.text}`);
    expect(texts).toContain('word:a');
    expect(texts).toContain('word:x=y');
  });

  test('here-strings keep their lines, without the breaks after the header and before the footer', () => {
    const [token] = tokenize('@"\nline 1\nline 2\n"@');
    expect(token).toMatchObject({ kind: 'expandable', text: 'line 1\nline 2', bodyStart: 3 });
    expect(tokenize("@'\r\n$x\r\n'@")[0]).toMatchObject({ kind: 'string', text: '$x' });
  });

  test('@name is a splat, [Name( an attribute, [type]::Name a static member', () => {
    const kinds = tokenize('f @p; [CmdletBinding()] param(); [math]::PI').map((t) => t.kind);
    expect(kinds).toContain('splat');
    expect(kinds).toContain('attribute');
    expect(kinds).toContain('static');
  });

  test('a type literal may follow an attribute', () => {
    const kinds = tokenize('[Parameter()][string]$x').map((t) => t.kind);
    expect(kinds).toEqual(['attribute', 'rparen', 'rbracket', 'type', 'variable', 'eof']);
  });
});

describe('the parser', () => {
  test('a labelled loop and a labelled continue', () => {
    const [loop] = parseScript(':outer foreach ($i in 1) { continue outer }').statements;
    expect(loop).toMatchObject({ kind: 'foreach', label: 'outer' });
    expect(loop?.kind === 'foreach' ? loop.body[0] : null).toMatchObject({
      kind: 'flow',
      keyword: 'continue',
      label: 'outer',
    });
  });

  test('switch options, clauses and default', () => {
    const [node] = parseScript(
      "switch -Wildcard -CaseSensitive ($x) { 'a*' { 1 } default { 2 } }",
    ).statements;
    expect(node).toMatchObject({ kind: 'switch', mode: 'wildcard', caseSensitive: true });
    expect(
      node?.kind === 'switch' ? node.clauses.map((c) => c.condition?.kind ?? null) : [],
    ).toEqual(['literal', null]);
  });

  test('an advanced function keeps its attributes and named blocks', () => {
    const [fn] = parseScript(
      'function f { [CmdletBinding(SupportsShouldProcess)] param([Parameter(Mandatory, Position = 0)][string]$Name) begin { } process { } end { } }',
    ).statements;
    expect(fn).toMatchObject({ kind: 'function', begin: [], process: [], body: [] });
    const parameter = fn?.kind === 'function' ? fn.parameters[0] : undefined;
    expect(parameter?.type).toBe('string');
    expect(parameter?.attributes?.[0]?.named.map((n) => n.name)).toEqual(['Mandatory', 'Position']);
  });

  test('assignments to members, elements and typed variables', () => {
    const statements = parseScript("$h.a = 1\n$a[0] += 2\n[int]$n = '3'").statements;
    expect(
      statements.map((s) =>
        s.kind === 'assignment' ? (s.target?.kind ?? s.typeConstraint) : s.kind,
      ),
    ).toEqual(['member', 'index', 'int']);
  });

  test('[ordered] goes only before a hash literal', () => {
    expect(() => parseScript('[ordered]$x')).toThrow(PsParseError);
    expect(() => parseScript('[ordered]@{}')).not.toThrow();
  });
});
