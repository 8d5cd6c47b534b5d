import { describe, expect, test } from 'vitest';
import { parseScript } from './parser.js';
import type { CommandNode, PipelineNode } from './ast.js';
import { PsParseError } from '../errors.js';

function pipeline(source: string, index = 0): PipelineNode {
  const statement = parseScript(source).statements[index];
  if (statement?.kind !== 'pipeline') throw new Error('not a pipeline');
  return statement;
}

describe('parser', () => {
  test('a pipeline of two commands with named and positional arguments', () => {
    const p = pipeline('Get-VM -Name VM_Name | Checkpoint-VM -SnapshotName StandardCheckpoint');
    expect(p.elements.map((e) => (e as CommandNode).name)).toEqual(['Get-VM', 'Checkpoint-VM']);
    const first = p.elements[0] as CommandNode;
    expect(first.args.map((a) => a.kind)).toEqual(['parameter', 'value']);
    expect(first.args[1]).toMatchObject({
      value: { kind: 'literal', value: 'VM_Name', bare: true },
    });
  });

  test('-Switch:$false carries its value', () => {
    const cmd = pipeline('Restore-VMSnapshot -Name A -VMName B -Confirm:$false')
      .elements[0] as CommandNode;
    expect(cmd.args[4]).toMatchObject({
      kind: 'parameter',
      name: 'Confirm',
      value: { kind: 'variable', name: 'false' },
    });
  });

  test('statements split on ; and new lines; comments are skipped', () => {
    const script = parseScript('Get-VM # all VMs\nGet-VMSnapshot -VMName A; $x = 1GB\n# done');
    expect(script.statements.map((s) => s.kind)).toEqual(['pipeline', 'pipeline', 'assignment']);
  });

  test('double-quoted strings expand $variables and $(expressions); single quotes do not', () => {
    const p = pipeline('"VM $name has $($vm.State) `$x"');
    const el = p.elements[0];
    expect(el?.kind).toBe('expression-element');
    if (el?.kind !== 'expression-element' || el.expression.kind !== 'expandable')
      throw new Error('expected string');
    expect(el.expression.parts.map((x) => x.kind)).toEqual([
      'text',
      'expr',
      'text',
      'expr',
      'text',
    ]);
    const single = pipeline("'$name'").elements[0];
    expect(single).toMatchObject({ expression: { kind: 'literal', value: '$name' } });
  });

  test('member access on parenthesised pipelines and @(...).Count', () => {
    expect(pipeline('(Get-VM -Name X).State').elements[0]).toMatchObject({
      expression: { kind: 'member', member: 'State', target: { kind: 'paren' } },
    });
    expect(pipeline('@(Get-VMSnapshot -VMName X).Count').elements[0]).toMatchObject({
      expression: { kind: 'member', member: 'Count', target: { kind: 'array-subexpression' } },
    });
  });

  test('arrays in arguments and numbers with size suffixes', () => {
    const cmd = pipeline("Get-VM -Name A, 'B', C -X 1GB").elements[0] as CommandNode;
    expect(cmd.args[1]).toMatchObject({
      value: { kind: 'array', items: [{ value: 'A' }, { value: 'B' }, {}] },
    });
    expect(cmd.args[3]).toMatchObject({ value: { kind: 'literal', value: 1024 ** 3 } });
  });

  test('script blocks with comparison and logical operators', () => {
    const cmd = pipeline("Where-Object { $_.State -eq 'Running' -and -not $_.Busy }")
      .elements[0] as CommandNode;
    expect(cmd.args[0]).toMatchObject({
      value: {
        kind: 'scriptblock',
        statements: [{ elements: [{ expression: { kind: 'binary', operator: 'and' } }] }],
      },
    });
  });

  test('wildcards stay in barewords', () => {
    const cmd = pipeline('Get-VM -Name Exp*ment?').elements[0] as CommandNode;
    expect(cmd.args[1]).toMatchObject({ value: { value: 'Exp*ment?' } });
  });

  test('a missing closing parenthesis is a parse error', () => {
    expect(() => parseScript('(Get-VM')).toThrow(PsParseError);
  });
  test('method arguments are separated by commas, not read as one array', () => {
    const p = pipeline("$s.Replace('a', 'b')");
    expect(p.elements[0]).toMatchObject({
      expression: {
        kind: 'member',
        member: 'Replace',
        args: [
          { kind: 'literal', value: 'a' },
          { kind: 'literal', value: 'b' },
        ],
      },
    });
  });
});

test('the unary comma parses as an array of one item', () => {
  const statement = parseScript('$x = ,1').statements[0];
  expect(JSON.stringify(statement)).toContain('"kind":"array"');
});

test('a statement may follow an if block on the same line; a pipeline still needs a terminator', () => {
  expect(parseScript("if ($true) { 'a' } 'b'").statements.map((s) => s.kind)).toEqual([
    'if',
    'pipeline',
  ]);
  expect(() => parseScript("'a' 'b'")).toThrow(PsParseError);
});
