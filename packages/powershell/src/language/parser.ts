/** Recursive-descent parser for the PowerShell subset (see ast.ts). */
import { PsParseError } from '../errors.js';
import type {
  CommandArgument,
  CommandNode,
  ComparisonOperator,
  Expression,
  PipelineNode,
  Script,
  Statement,
} from './ast.js';
import { comparisonOperators } from './ast.js';
import type { Token, TokenKind } from './lexer.js';
import { tokenize } from './lexer.js';
import { expandableParts } from './strings.js';

export function parseScript(source: string): Script {
  return new Parser(source, tokenize(source)).script();
}

/**
 * How deeply parentheses, braces, subexpressions, strings in strings, `!` and operator or member
 * chains may nest. PowerShell's own parser fails on very deep nesting too (with a stack-depth
 * error whose exact text is not recorded in our sources); this limit is ours, so that 2000 `(`
 * give a parse error instead of overflowing the stack of the parser or of the evaluator.
 */
export const MAX_NESTING_DEPTH = 200;

const expressionStart: TokenKind[] = [
  'variable',
  'string',
  'expandable',
  'number',
  'lparen',
  'atparen',
  'dollarparen',
  'lbrace',
  'bang',
];

class Parser {
  private pos = 0;
  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
    /** Nesting already entered by enclosing parsers (a `$( )` inside a string). */
    private depth = 0,
  ) {}

  /** Enters one level of nesting at `token`; fails with a parse error beyond the limit. */
  private nest<T>(token: Token, levels: number, fn: () => T): T {
    if (this.depth + levels > MAX_NESTING_DEPTH)
      this.fail(
        `The script is nested more than ${MAX_NESTING_DEPTH} levels deep (parentheses, braces, subexpressions, method arguments, indexes or operator chains); this server does not parse deeper scripts.`,
        'ScriptNestedTooDeeply',
        token,
      );
    this.depth += levels;
    try {
      return fn();
    } finally {
      this.depth -= levels;
    }
  }

  private peek(ahead = 0): Token {
    const t = this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)];
    if (!t) throw new Error('token stream is empty');
    return t;
  }
  private next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }
  private fail(message: string, errorId: string, token: Token = this.peek()): never {
    throw new PsParseError(message, errorId, {
      start: token.start,
      end: Math.max(token.end, token.start + 1),
    });
  }
  private skipNewlines(): void {
    while (this.peek().kind === 'newline') this.next();
  }

  script(): Script {
    const statements = this.statementList('eof');
    return { kind: 'script', statements, start: 0, end: this.source.length };
  }

  /** Statements separated by newlines or `;`, up to (not including) `end`. */
  private statementList(end: TokenKind): Statement[] {
    const statements: Statement[] = [];
    for (;;) {
      while (this.peek().kind === 'newline' || this.peek().kind === 'semi') this.next();
      const t = this.peek();
      if (t.kind === end) return statements;
      if (t.kind === 'eof') {
        const messages: Partial<Record<TokenKind, [string, string]>> = {
          rparen: ["Missing closing ')' in expression.", 'MissingEndParenthesisInExpression'],
          rbrace: [
            "Missing closing '}' in statement block or type definition.",
            'MissingEndCurlyBrace',
          ],
        };
        const [message, id] = messages[end] ?? ['Unexpected end of script.', 'UnexpectedToken'];
        this.fail(message, id);
      }
      statements.push(this.statement());
      const after = this.peek().kind;
      if (after !== 'newline' && after !== 'semi' && after !== end) {
        this.fail(
          `Unexpected token '${this.peek().text}' in expression or statement.`,
          'UnexpectedToken',
        );
      }
    }
  }

  private statement(): Statement {
    const t = this.peek();
    if (t.kind === 'variable' && this.peek(1).kind === 'equals') {
      this.next();
      this.next();
      this.skipNewlines();
      const value = this.pipeline();
      return { kind: 'assignment', variable: t.text, value, start: t.start, end: value.end };
    }
    return this.pipeline();
  }

  private pipeline(): PipelineNode {
    const first = this.peek();
    const elements: PipelineNode['elements'] = [];
    if (first.kind === 'word') {
      elements.push(this.command());
    } else if (expressionStart.includes(first.kind) || first.kind === 'parameter') {
      const expression = this.expression();
      elements.push({
        kind: 'expression-element',
        expression,
        start: expression.start,
        end: expression.end,
      });
    } else {
      this.fail(`Unexpected token '${first.text}' in expression or statement.`, 'UnexpectedToken');
    }
    while (this.peek().kind === 'pipe') {
      const pipe = this.next();
      this.skipNewlines();
      if (this.peek().kind !== 'word')
        this.fail('An empty pipe element is not allowed.', 'EmptyPipeElement', pipe);
      elements.push(this.command());
    }
    const last = elements[elements.length - 1];
    return { kind: 'pipeline', elements, start: first.start, end: last?.end ?? first.end };
  }

  private command(): CommandNode {
    const nameToken = this.next();
    const args: CommandArgument[] = [];
    let end = nameToken.end;
    for (;;) {
      const t = this.peek();
      if (['newline', 'semi', 'pipe', 'eof', 'rparen', 'rbrace'].includes(t.kind)) break;
      if (t.kind === 'parameter') {
        this.next();
        let value: Expression | null = null;
        if (t.colon) value = this.argumentValue();
        end = value?.end ?? t.end;
        args.push({ kind: 'parameter', name: t.text, value, start: t.start, end });
        continue;
      }
      const value = this.argumentValue();
      end = value.end;
      args.push({ kind: 'value', value, start: value.start, end: value.end });
    }
    return {
      kind: 'command',
      name: nameToken.text,
      nameExtent: { start: nameToken.start, end: nameToken.end },
      args,
      start: nameToken.start,
      end,
    };
  }

  /** An argument: a primary with postfixes, or a comma list of them (`a, b`). Barewords are strings. */
  private argumentValue(): Expression {
    const first = this.argumentPrimary();
    if (this.peek().kind !== 'comma') return first;
    const items = [first];
    while (this.peek().kind === 'comma') {
      this.next();
      this.skipNewlines();
      items.push(this.argumentPrimary());
    }
    return {
      kind: 'array',
      items,
      start: first.start,
      end: items[items.length - 1]?.end ?? first.end,
    };
  }

  private argumentPrimary(): Expression {
    const t = this.peek();
    if (t.kind === 'word') {
      this.next();
      return { kind: 'literal', value: t.text, bare: true, start: t.start, end: t.end };
    }
    if (t.kind === 'parameter' && t.colon === false) {
      // e.g. a value that looks like a parameter after `-Name:` - keep it as text
      this.next();
      return {
        kind: 'literal',
        value: this.source.slice(t.start, t.end),
        bare: true,
        start: t.start,
        end: t.end,
      };
    }
    return this.postfix(this.primary());
  }

  // Expression mode ---------------------------------------------------------------------------

  private expression(): Expression {
    let left = this.comparison();
    for (let chain = 1; ; chain++) {
      const t = this.peek();
      const op = t.kind === 'parameter' ? t.text.toLowerCase() : '';
      if (op !== 'and' && op !== 'or') return left;
      this.checkChain(chain, t);
      this.next();
      this.skipNewlines();
      const right = this.comparison();
      left = { kind: 'binary', operator: op, left, right, start: left.start, end: right.end };
    }
  }

  /** `allowComma`: false for method arguments, where `,` separates arguments instead of making an array. */
  private comparison(allowComma = true): Expression {
    let left = this.unary(allowComma);
    for (let chain = 1; ; chain++) {
      const t = this.peek();
      let op = t.kind === 'parameter' ? t.text.toLowerCase() : '';
      // `-i` and `-c` prefixes: explicitly case-insensitive and case-sensitive forms
      // (about_Comparison_Operators).
      const prefix = op[0];
      const caseSensitive = prefix === 'c' && isComparison(op.slice(1));
      if ((prefix === 'i' || prefix === 'c') && isComparison(op.slice(1))) op = op.slice(1);
      if (!isComparison(op)) return left;
      this.checkChain(chain, t);
      this.next();
      this.skipNewlines();
      const right = this.unary(allowComma);
      left = {
        kind: 'binary',
        operator: op as ComparisonOperator,
        ...(caseSensitive ? { caseSensitive } : {}),
        left,
        right,
        start: left.start,
        end: right.end,
      };
    }
  }

  private unary(allowComma = true): Expression {
    const t = this.peek();
    if (t.kind === 'bang' || (t.kind === 'parameter' && t.text.toLowerCase() === 'not')) {
      this.next();
      const operand = this.nest(t, 1, () => this.unary(allowComma));
      return { kind: 'unary', operator: 'not', operand, start: t.start, end: operand.end };
    }
    return allowComma ? this.arrayExpression() : this.postfix(this.primary());
  }

  private arrayExpression(): Expression {
    const first = this.postfix(this.primary());
    if (this.peek().kind !== 'comma') return first;
    const items = [first];
    while (this.peek().kind === 'comma') {
      this.next();
      this.skipNewlines();
      items.push(this.postfix(this.primary()));
    }
    return {
      kind: 'array',
      items,
      start: first.start,
      end: items[items.length - 1]?.end ?? first.end,
    };
  }

  private postfix(target: Expression): Expression {
    let node = target;
    for (let chain = 1; ; chain++) {
      const t = this.peek();
      if (t.kind === 'dot' || (t.kind === 'lbracket' && !t.spaceBefore)) this.checkChain(chain, t);
      if (t.kind === 'dot') {
        this.next();
        const member = this.next();
        const open = this.peek();
        if (open.kind === 'lparen' && !open.spaceBefore) {
          this.next();
          // An argument list is one level of nesting, as parentheses are: each argument starts
          // a new expression, so `'a'.Replace('a', 'a'.Replace('a', ...))` nests without a chain.
          const args = this.nest(open, 1, () => {
            const list: Expression[] = [];
            while (this.peek().kind !== 'rparen') {
              if (this.peek().kind === 'eof')
                this.fail(
                  "Missing closing ')' in expression.",
                  'MissingEndParenthesisInMethodCall',
                );
              list.push(this.comparison(false));
              if (this.peek().kind === 'comma') this.next();
            }
            return list;
          });
          const close = this.next();
          node = {
            kind: 'member',
            target: node,
            member: member.text,
            args,
            start: node.start,
            end: close.end,
          };
          continue;
        }
        node = {
          kind: 'member',
          target: node,
          member: member.text,
          start: node.start,
          end: member.end,
        };
        continue;
      }
      if (t.kind === 'lbracket' && !t.spaceBefore) {
        this.next();
        // An index is one level of nesting too: `$a[$a[$a[...]]]`.
        const index = this.nest(t, 1, () => this.expression());
        const close = this.next();
        if (close.kind !== 'rbracket')
          this.fail(
            'Array index expression is missing or not valid.',
            'MissingArrayIndexExpression',
            close,
          );
        node = { kind: 'index', target: node, index, start: node.start, end: close.end };
        continue;
      }
      return node;
    }
  }

  private primary(): Expression {
    const t = this.next();
    switch (t.kind) {
      case 'number':
        return { kind: 'literal', value: t.number, start: t.start, end: t.end };
      case 'string':
        return { kind: 'literal', value: t.text, start: t.start, end: t.end };
      case 'expandable':
        return {
          kind: 'expandable',
          parts: this.nest(t, 1, () =>
            expandableParts(t.text, t.start + 1, (inner) =>
              new Parser(inner, tokenize(inner), this.depth).script(),
            ),
          ),
          start: t.start,
          end: t.end,
        };
      case 'variable':
        return { kind: 'variable', name: t.text, start: t.start, end: t.end };
      case 'word':
        return { kind: 'literal', value: t.text, bare: true, start: t.start, end: t.end };
      case 'lparen':
        return this.nest(t, 1, () => this.parenthesized(t));
      case 'dollarparen':
      case 'atparen':
      case 'lbrace':
        return this.nest(t, 1, () => this.block(t));
      default:
        if (t.kind === 'eof')
          this.fail(
            'You must provide a value expression following this operator.',
            'ExpectedValueExpression',
            t,
          );
        return this.fail(
          `Unexpected token '${t.text}' in expression or statement.`,
          'UnexpectedToken',
          t,
        );
    }
  }

  /** A chain of `n` binary operators or postfixes evaluates `n` levels deep. */
  private checkChain(chain: number, token: Token): void {
    this.nest(token, chain, () => undefined);
  }

  private parenthesized(t: Token): Expression {
    this.skipNewlines();
    const pipeline = this.statement();
    this.skipNewlines();
    const close = this.next();
    if (close.kind !== 'rparen')
      this.fail("Missing closing ')' in expression.", 'MissingEndParenthesisInExpression', close);
    return { kind: 'paren', pipeline, start: t.start, end: close.end };
  }

  private block(t: Token): Expression {
    switch (t.kind) {
      case 'dollarparen':
      case 'atparen': {
        const statements = this.statementList('rparen');
        const close = this.next();
        const kind = t.kind === 'atparen' ? 'array-subexpression' : 'subexpression';
        return { kind, statements, start: t.start, end: close.end };
      }
      case 'lbrace': {
        const statements = this.statementList('rbrace');
        const close = this.next();
        return {
          kind: 'scriptblock',
          statements,
          text: this.source.slice(t.start + 1, close.start),
          start: t.start,
          end: close.end,
        };
      }
      default:
        return this.fail(
          `Unexpected token '${t.text}' in expression or statement.`,
          'UnexpectedToken',
          t,
        );
    }
  }
}

function isComparison(op: string): boolean {
  return (comparisonOperators as readonly string[]).includes(op);
}
