import { describe, expect, test } from 'vitest';
import type { CommandNode, ExpressionElement, PipelineNode } from './ast.js';
import { parseScript } from './parser.js';
import { redirectionOperator } from './redirection.js';

function firstElement(script: string): CommandNode | ExpressionElement {
  const statement = parseScript(script).statements[0] as PipelineNode;
  const element = statement.elements[0];
  if (!element) throw new Error('no element');
  return element;
}

describe('redirection operators (about_Redirection)', () => {
  test('the operators as the tokenizer gives them', () => {
    expect(redirectionOperator('2>&1')).toEqual({
      stream: 2,
      merge: true,
      append: false,
      target: null,
    });
    expect(redirectionOperator('*>&1')).toEqual({
      stream: '*',
      merge: true,
      append: false,
      target: null,
    });
    expect(redirectionOperator('>')).toEqual({
      stream: 1,
      merge: false,
      append: false,
      target: null,
    });
    expect(redirectionOperator('3>>')).toEqual({
      stream: 3,
      merge: false,
      append: true,
      target: null,
    });
    expect(redirectionOperator('2>$null')).toEqual({
      stream: 2,
      merge: false,
      append: false,
      target: '$null',
    });
    expect(redirectionOperator('>out.txt')).toEqual({
      stream: 1,
      merge: false,
      append: false,
      target: 'out.txt',
    });
    for (const word of ['7>&1', 'a>b', 'web-01', '2>>&1', '-gt'])
      expect(redirectionOperator(word)).toBeNull();
  });

  test('a command keeps its redirections apart from its arguments, and its extent takes them in', () => {
    const command = firstElement('Get-VM NoSuch 2>&1 3> $null') as CommandNode;
    expect(command.args).toHaveLength(1);
    expect(command.redirections?.map((r) => [r.stream, r.merge, r.target?.kind ?? null])).toEqual([
      [2, true, null],
      [3, false, 'variable'],
    ]);
    expect(command.end).toBe('Get-VM NoSuch 2>&1 3> $null'.length);
  });

  test('an expression takes redirections too', () => {
    const element = firstElement("'x' > $null") as ExpressionElement;
    expect(element.kind).toBe('expression-element');
    expect(element.redirections?.[0]?.stream).toBe(1);
  });
});
