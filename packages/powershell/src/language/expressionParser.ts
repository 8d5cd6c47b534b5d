/**
 * Recursive-descent parser for the PowerShell subset (see ast.ts): pipelines, commands and
 * expressions. The statements (`if`, loops, `try`, `function`...) are in parser.ts.
 */
import { PsParseError } from '../errors.js';
import type {
  AttributeNode,
  ComparisonOperator,
  Expression,
  ParameterNode,
  Script,
  Statement,
} from './ast.js';
import { comparisonOperators } from './ast.js';
import { expressionStart } from './expressionStart.js';
import type { Token, TokenKind } from './lexer.js';
import { expandableParts } from './strings.js';
import { castApplies, splitSpacedOperator } from './spacedOperator.js';
import { after, missingOperandError, unexpectedTokenError } from './parseErrors.js';

/**
 * How deeply parentheses, braces, subexpressions, strings in strings, `!` and operator or member
 * chains may nest. PowerShell's own parser fails on very deep nesting too (with a stack-depth
 * error whose exact text is not recorded in our sources); this limit is ours, so that 2000 `(`
 * give a parse error instead of overflowing the stack of the parser or of the evaluator.
 */
export const MAX_NESTING_DEPTH = 200;

export abstract class ExpressionParser {
  protected pos = 0;
  constructor(
    protected readonly source: string,
    protected readonly tokens: Token[],
    /** Nesting already entered by enclosing parsers (a `$( )` inside a string). */
    protected depth = 0,
  ) {}

  /** One statement: a pipeline, an assignment, or a keyword statement (parser.ts). */
  protected abstract statement(): Statement;
  /** A `param(...)` block at the start of a script block or function body, or none. */
  protected abstract optionalParamBlock(): ParameterNode[];
  /** After a script block's `{`: attributes, param block and body (named blocks too), up to and including `}`. */
  protected abstract scriptBlockParts(open: Token): {
    attributes: AttributeNode[];
    parameters: ParameterNode[];
    body: Statement[];
    begin?: Statement[];
    process?: Statement[];
  };
  /** The script inside a `$( )` of an expandable string, parsed at the current depth. */
  protected abstract nestedScript(inner: string): Script;

  /** Enters one level of nesting at `token`; fails with a parse error beyond the limit. */
  protected nest<T>(token: Token, levels: number, fn: () => T): T {
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

  protected peek(ahead = 0): Token {
    const t = this.tokens[Math.min(this.pos + ahead, this.tokens.length - 1)];
    if (!t) throw new Error('token stream is empty');
    return t;
  }
  protected next(): Token {
    const t = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return t;
  }
  protected fail(message: string, errorId: string, token: Token = this.peek()): never {
    throw new PsParseError(message, errorId, {
      start: token.start,
      end: Math.max(token.end, token.start + 1),
    });
  }
  protected unexpectedToken(token: Token = this.peek()): never {
    throw unexpectedTokenError(this.source, token);
  }
  /** ExpectedValueExpression naming the operator when nothing follows it. */
  protected operandAfter(operator: Token): void {
    const error = missingOperandError(this.source, operator, this.peek());
    if (error) throw error;
  }
  protected skipNewlines(): void {
    while (this.peek().kind === 'newline') this.next();
  }

  script(): Script {
    const statements = this.statementList('eof');
    return { kind: 'script', statements, start: 0, end: this.source.length };
  }

  /** Statements separated by newlines or `;`, up to (not including) `end`. */
  /**
   * `open`: the `{` of the block; PowerShell reports a missing `}` at it (MissingEndCurlyBrace points
   * at the opening brace in Windows PowerShell's parse errors).
   */
  protected statementList(end: TokenKind, open?: Token): Statement[] {
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
        // `$( )` and `@( )`: ParserStrings.MissingEndParenthesisInSubexpression (SubExpressionRule).
        if (open?.kind === 'dollarparen' || open?.kind === 'atparen')
          messages.rparen = [
            "Missing closing ')' in subexpression.",
            'MissingEndParenthesisInSubexpression',
          ];
        const [message, id] = messages[end] ?? ['Unexpected end of script.', 'UnexpectedToken'];
        this.fail(message, id, end === 'rbrace' && open ? open : this.peek());
      }
      const statement = this.statement();
      statements.push(statement);
      const after = this.peek().kind;
      // Block statements need no terminator: `if ($x) { } 'b'` (Parser.cs StatementRule).
      const needsTerminator = ['pipeline', 'assignment', 'flow'].includes(statement.kind);
      if (needsTerminator && !['newline', 'semi', 'eof', end].includes(after)) {
        this.unexpectedToken();
      }
    }
  }

  // Expression mode ---------------------------------------------------------------------------

  protected expression(): Expression {
    let left = this.comparison();
    for (let chain = 1; ; chain++) {
      const t = this.peek();
      const op = t.kind === 'parameter' ? t.text.toLowerCase() : '';
      if (op !== 'and' && op !== 'or' && op !== 'xor') return left;
      this.checkChain(chain, t);
      this.next();
      this.skipNewlines();
      const right = this.comparison();
      left = { kind: 'binary', operator: op, left, right, start: left.start, end: right.end };
    }
  }

  /** `allowComma`: false for method arguments, where `,` separates arguments instead of making an array. */
  protected comparison(allowComma = true): Expression {
    let left = this.additive(allowComma);
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
      this.operandAfter(t);
      const right = this.additive(allowComma);
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

  /** `+` and `-` (about_Operator_Precedence: after `*`, `/`, `%`, before the comparisons). */
  protected additive(allowComma: boolean): Expression {
    return this.arithmetic(['+', '-'], () => this.multiplicative(allowComma));
  }

  protected multiplicative(allowComma: boolean): Expression {
    return this.arithmetic(['*', '/', '%'], () => this.formatExpression(allowComma));
  }

  /** `'{0:N2}' -f $x, $y`: the format operator binds tighter than arithmetic, looser than `,` (about_Operator_Precedence). */
  protected formatExpression(allowComma: boolean): Expression {
    let left = this.unary(allowComma);
    for (let chain = 1; ; chain++) {
      const t = this.peek();
      if (t.kind !== 'parameter' || t.text.toLowerCase() !== 'f') return left;
      this.checkChain(chain, t);
      this.next();
      this.skipNewlines();
      const right = this.unary(allowComma);
      left = { kind: 'binary', operator: 'f', left, right, start: left.start, end: right.end };
    }
  }

  private arithmetic(operators: readonly string[], operand: () => Expression): Expression {
    let left = operand();
    for (let chain = 1; ; chain++) {
      // `$x -1`, `$x +1 *2`, `$x *$y`: the operator glued to its operand is split off first.
      splitSpacedOperator(this.tokens, this.pos, operators);
      const t = this.peek();
      if (!(t.kind === 'word' && operators.includes(t.text))) return left;
      this.checkChain(chain, t);
      this.next();
      this.skipNewlines();
      this.operandAfter(t);
      const right = operand();
      left = {
        kind: 'arithmetic',
        operator: t.text as '+' | '-' | '*' | '/' | '%',
        left,
        right,
        start: left.start,
        end: right.end,
      };
    }
  }

  protected unary(allowComma = true): Expression {
    const t = this.peek();
    if (t.kind === 'bang' || (t.kind === 'parameter' && t.text.toLowerCase() === 'not')) {
      this.next();
      const operand = this.nest(t, 1, () => this.unary(allowComma));
      return { kind: 'unary', operator: 'not', operand, start: t.start, end: operand.end };
    }
    const unaryOperator = t.kind === 'parameter' ? t.text.toLowerCase() : '';
    if (unaryOperator === 'split' || unaryOperator === 'join') {
      // `-split 'a b'`, `-join $parts` (about_Split, about_Join).
      this.next();
      const operand = this.nest(t, 1, () => this.unary(allowComma));
      return { kind: 'unary', operator: unaryOperator, operand, start: t.start, end: operand.end };
    }
    if (t.kind === 'word' && t.text === '-' && expressionStart.includes(this.peek(1).kind)) {
      // `-$x`, `-(1 + 2)`: negation.
      this.next();
      const operand = this.nest(t, 1, () => this.unary(allowComma));
      return { kind: 'unary', operator: 'negate', operand, start: t.start, end: operand.end };
    }
    if (t.kind === 'comma') {
      // The unary comma: `,$x` is an array of one item, $x (about_Operators, comma operator).
      this.next();
      const item = this.nest(t, 1, () => this.unary(false));
      return { kind: 'array', items: [item], start: t.start, end: item.end };
    }
    return allowComma ? this.arrayExpression() : this.rangeExpression();
  }

  /** A value, or `from..to` (the range operator binds tighter than `,`, looser than unary). */
  protected rangeExpression(): Expression {
    const from = this.postfix(this.primary());
    splitSpacedOperator(this.tokens, this.pos, ['..']);
    if (this.peek().kind !== 'range') return from;
    this.next();
    const to = this.postfix(this.primary());
    return { kind: 'range', from, to, start: from.start, end: to.end };
  }

  protected arrayExpression(): Expression {
    const first = this.rangeExpression();
    if (this.peek().kind !== 'comma') return first;
    const items = [first];
    while (this.peek().kind === 'comma') {
      this.next();
      this.skipNewlines();
      items.push(this.rangeExpression());
    }
    return {
      kind: 'array',
      items,
      start: first.start,
      end: items[items.length - 1]?.end ?? first.end,
    };
  }

  protected postfix(target: Expression): Expression {
    let node = target;
    for (let chain = 1; ; chain++) {
      const t = this.peek();
      if (t.kind === 'dot' || (t.kind === 'lbracket' && !t.spaceBefore)) this.checkChain(chain, t);
      if (t.kind === 'dot') {
        this.next();
        const member = this.next();
        const open = this.peek();
        if (open.kind === 'lparen' && !open.spaceBefore) {
          const args = this.methodArguments(open);
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
        // ParserStrings.MissingArrayIndexExpression right after the `[`, MissingEndSquareBracket
        // at the token where the `]` should be.
        if (['eof', 'rbracket'].includes(this.peek().kind))
          this.fail(
            'Array index expression is missing or not valid.',
            'MissingArrayIndexExpression',
            after(t),
          );
        // An index is one level of nesting too: `$a[$a[$a[...]]]`.
        const index = this.nest(t, 1, () => this.expression());
        const close = this.next();
        if (close.kind !== 'rbracket')
          this.fail("Missing ']' after array index expression.", 'MissingEndSquareBracket', close);
        node = { kind: 'index', target: node, index, start: node.start, end: close.end };
        continue;
      }
      return node;
    }
  }

  protected primary(): Expression {
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
            expandableParts(
              t.text,
              t.bodyStart ?? t.start + 1,
              (inner) => this.nestedScript(inner),
              t.bodyStart !== undefined,
            ),
          ),
          start: t.start,
          end: t.end,
        };
      case 'variable':
        return { kind: 'variable', name: t.text, start: t.start, end: t.end };
      case 'type': {
        if (this.peek().kind === 'static') return this.staticMember(t);
        // `[ordered]` goes only before a hash literal (ParserStrings.OrderedAttributeOnlyOnHashLiteralNode).
        if (t.text.toLowerCase() === 'ordered' && this.peek().kind !== 'athash')
          this.fail(
            'The ordered attribute can be specified only on a hash literal node.',
            'OrderedAttributeOnlyOnHashLiteralNode',
            t,
          );
        // `[void](...)`, `[int]$x`, `[scriptblock]{ }`: a cast applies to the expression after it.
        if (!castApplies(t, this.peek()))
          return { kind: 'literal', value: `[${t.text}]`, bare: true, start: t.start, end: t.end };
        const operand = this.nest(t, 1, () => this.postfix(this.primary()));
        return { kind: 'cast', type: t.text, operand, start: t.start, end: operand.end };
      }
      case 'splat':
        // ParserStrings.SplattingNotPermitted
        return this.fail(
          `The splatting operator '@' cannot be used to reference variables in an expression. '@${t.text}' can be used only as an argument to a command. To reference variables in an expression use '$${t.text}'.`,
          'SplattingNotPermitted',
          t,
        );
      case 'word':
        return { kind: 'literal', value: t.text, bare: true, start: t.start, end: t.end };
      case 'lparen':
        return this.nest(t, 1, () => this.parenthesized(t));
      case 'dollarparen':
      case 'atparen':
      case 'lbrace':
        return this.nest(t, 1, () => this.block(t));
      case 'athash':
        return this.nest(t, 1, () => this.hashLiteral(t));
      default:
        if (t.kind === 'eof')
          this.fail(
            'You must provide a value expression following this operator.',
            'ExpectedValueExpression',
            t,
          );
        return this.unexpectedToken(t);
    }
  }

  /**
   * After `(` of a method call: the arguments up to (not including) `)`. An argument list is one
   * level of nesting, as parentheses are: each argument starts a new expression, so
   * `'a'.Replace('a', 'a'.Replace('a', ...))` nests without a chain.
   */
  protected methodArguments(open: Token): Expression[] {
    this.next();
    return this.nest(open, 1, () => {
      const list: Expression[] = [];
      for (;;) {
        this.skipNewlines();
        if (this.peek().kind === 'rparen') return list;
        if (this.peek().kind === 'eof')
          // ParserStrings.MissingEndParenthesisInMethodCall
          this.fail("Missing ')' in method call.", 'MissingEndParenthesisInMethodCall');
        list.push(this.comparison(false));
        this.skipNewlines();
        if (this.peek().kind === 'comma') this.next();
        else if (this.peek().kind === 'eof')
          this.fail("Missing ')' in method call.", 'MissingEndParenthesisInMethodCall');
        else if (this.peek().kind !== 'rparen') this.unexpectedToken();
      }
    });
  }

  /** `[type]::Member` or `[type]::Method(args)`, then any postfixes (shellStatements.ts). */
  protected abstract staticMember(type: Token): Expression;
  /** After `@{`: the pairs of a hash literal up to `}` (shellStatements.ts). */
  protected abstract hashLiteral(open: Token): Expression;

  /** A chain of `n` binary operators or postfixes evaluates `n` levels deep. */
  protected checkChain(chain: number, token: Token): void {
    this.nest(token, chain, () => undefined);
  }

  protected parenthesized(t: Token): Expression {
    this.skipNewlines();
    const pipeline = this.statement();
    this.skipNewlines();
    const close = this.next();
    if (close.kind !== 'rparen')
      this.fail("Missing closing ')' in expression.", 'MissingEndParenthesisInExpression', close);
    return { kind: 'paren', pipeline, start: t.start, end: close.end };
  }

  protected block(t: Token): Expression {
    switch (t.kind) {
      case 'dollarparen':
      case 'atparen': {
        const statements = this.statementList('rparen', t);
        const close = this.next();
        const kind = t.kind === 'atparen' ? 'array-subexpression' : 'subexpression';
        return { kind, statements, start: t.start, end: close.end };
      }
      case 'lbrace': {
        const parts = this.scriptBlockParts(t);
        const close = this.tokens[this.pos - 1] ?? t;
        return {
          kind: 'scriptblock',
          statements: parts.body,
          parameters: parts.parameters,
          ...(parts.begin ? { begin: parts.begin } : {}),
          ...(parts.process ? { process: parts.process } : {}),
          ...(parts.attributes.length > 0 ? { attributes: parts.attributes } : {}),
          text: this.source.slice(t.start + 1, close.start),
          start: t.start,
          end: close.end,
        };
      }
      default:
        return this.unexpectedToken(t);
    }
  }
}

function isComparison(op: string): boolean {
  return (comparisonOperators as readonly string[]).includes(op);
}
