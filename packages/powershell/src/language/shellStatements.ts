/**
 * The statements added to the shell language on top of parser.ts's: `switch` (about_Switch),
 * `trap` (about_Trap), loop labels (`:outer foreach ...`, about_Break), assignments to members and
 * elements (`$h.Name = 1`, `$a[0] = 2`), and the attributes and named blocks of advanced functions
 * (`[CmdletBinding()]`, `[Parameter(Mandatory)]`, `begin`/`process`/`end`,
 * about_Functions_Advanced). Parse errors are ParserStrings.resx messages, each named below.
 */
import type {
  AssignmentOperator,
  AttributeNode,
  Block,
  Expression,
  IndexNode,
  MemberNode,
  ParameterNode,
  Statement,
  SwitchClause,
  SwitchNode,
  TrapNode,
} from './ast.js';
import { compoundAssignmentOperators } from './ast.js';
import { CommandParser } from './commandParser.js';
import type { Token } from './lexer.js';
import { PsParseError } from '../errors.js';

const loopKeywords = ['foreach', 'for', 'while', 'do', 'switch'];

export abstract class ShellStatementParser extends CommandParser {
  protected atStatementEnd(): boolean {
    return ['newline', 'semi', 'rbrace', 'rparen', 'eof'].includes(this.peek().kind);
  }

  /** `( statement )` after a keyword; `missing` is the error when there is no `(`. */
  protected condition(keyword: string, missing: [string, string]): Statement {
    this.skipNewlines();
    const open = this.peek();
    if (open.kind !== 'lparen') this.fail(missing[0], missing[1]);
    this.next();
    this.skipNewlines();
    if (this.peek().kind === 'rparen' || this.peek().kind === 'eof')
      // ParserStrings.IfStatementMissingCondition / MissingExpressionAfterKeyword
      this.fail(
        keyword === 'if' || keyword === 'elseif'
          ? `Missing condition in if statement after '${keyword} ('.`
          : `Missing expression after '${keyword}' in loop.`,
        keyword === 'if' || keyword === 'elseif'
          ? 'IfStatementMissingCondition'
          : 'MissingExpressionAfterKeyword',
      );
    const condition = this.statement();
    this.skipNewlines();
    if (this.peek().kind !== 'rparen')
      // ParserStrings.MissingEndParenthesisAfterStatement
      this.fail(
        `Missing closing ')' after expression in '${keyword}' statement.`,
        'MissingEndParenthesisAfterStatement',
      );
    this.next();
    return condition;
  }

  /** `{ statements }`; `missing` is the error when there is no `{`. */
  /** `at`: where a missing block is reported, when not at the token found instead. */
  protected statementBlock(missing: [string, string], at?: Token): { body: Block; end: number } {
    this.skipNewlines();
    const open = this.peek();
    if (open.kind !== 'lbrace') this.fail(missing[0], missing[1], at);
    this.next();
    const body = this.statementList('rbrace', open);
    const close = this.next();
    return { body, end: close.end };
  }

  /** Looks past newlines for one of `words`; leaves the position unchanged when it is not there. */
  protected followedBy(words: string[]): string | null {
    let ahead = 0;
    while (this.peek(ahead).kind === 'newline') ahead++;
    const t = this.peek(ahead);
    const word = t.kind === 'word' ? t.text.toLowerCase() : '';
    if (!words.includes(word)) return null;
    for (let i = 0; i <= ahead; i++) this.next();
    return word;
  }

  /** `:label` before a loop: the label, or null when the statement has none. */
  protected loopLabel(): string | null {
    const t = this.peek();
    if (t.kind !== 'word' || !/^:[A-Za-z_]\w*$/.test(t.text)) return null;
    const next = this.peek(1);
    if (next.kind !== 'word' || !loopKeywords.includes(next.text.toLowerCase())) return null;
    this.next();
    return t.text.slice(1);
  }

  /** `$x.Name = ...`, `$x['k'] += ...`: the target and operator, or null (position unchanged). */
  protected assignmentTarget(): {
    target: MemberNode | IndexNode;
    operator: AssignmentOperator;
  } | null {
    const variable = this.peek();
    const after = this.peek(1);
    if (after.kind !== 'dot' && !(after.kind === 'lbracket' && !after.spaceBefore)) return null;
    const saved = this.pos;
    try {
      this.next();
      const target = this.postfix({
        kind: 'variable',
        name: variable.text,
        start: variable.start,
        end: variable.end,
      });
      const op = this.peek();
      const operator: AssignmentOperator | null =
        op.kind === 'equals'
          ? '='
          : op.kind === 'word' && compoundAssignmentOperators.includes(op.text)
            ? (op.text as AssignmentOperator)
            : null;
      if (
        operator !== null &&
        (target.kind === 'index' || (target.kind === 'member' && !target.args))
      ) {
        this.next();
        return { target, operator };
      }
    } catch (error) {
      if (!(error instanceof PsParseError)) throw error;
    }
    this.pos = saved;
    return null;
  }

  /** `[Name(args)]` from its `attribute` token to the `]`. */
  protected attribute(): AttributeNode {
    const open = this.next();
    const args: Expression[] = [];
    const named: AttributeNode['named'] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.kind === 'rparen') break;
      if (t.kind === 'eof')
        this.fail("Missing closing ')' in expression.", 'MissingEndParenthesisInExpression');
      if (t.kind === 'word' && /^[A-Za-z_]\w*$/.test(t.text)) {
        this.next();
        let value: Expression | null = null;
        if (this.peek().kind === 'equals') {
          this.next();
          this.skipNewlines();
          value = this.comparison(false);
        }
        named.push({ name: t.text, value });
      } else args.push(this.comparison(false));
      this.skipNewlines();
      if (this.peek().kind === 'comma') this.next();
      else if (this.peek().kind !== 'rparen') this.unexpectedToken();
    }
    this.next();
    const close = this.peek();
    if (close.kind !== 'rbracket')
      // ParserStrings.EndSquareBracketExpectedAtEndOfAttribute
      this.fail(
        'Missing ] at end of attribute or type literal.',
        'EndSquareBracketExpectedAtEndOfAttribute',
      );
    this.next();
    return { name: open.text, args, named, start: open.start, end: close.end };
  }

  /** Attributes before a `param(...)` block (`[CmdletBinding()]`), across new lines. */
  protected leadingAttributes(): AttributeNode[] {
    const attributes: AttributeNode[] = [];
    for (;;) {
      let ahead = 0;
      while (this.peek(ahead).kind === 'newline' || this.peek(ahead).kind === 'semi') ahead++;
      if (this.peek(ahead).kind !== 'attribute') return attributes;
      for (let i = 0; i < ahead; i++) this.next();
      attributes.push(this.attribute());
    }
  }

  /**
   * A function body after its `{` (and param block): statements, or the named blocks `begin`,
   * `process` and `end` (about_Functions_Advanced_Methods), up to and including `}`.
   */
  protected functionBody(
    open: Token,
    filter: boolean,
  ): {
    body: Block;
    begin?: Block;
    process?: Block;
    end: number;
  } {
    let ahead = 0;
    while (this.peek(ahead).kind === 'newline' || this.peek(ahead).kind === 'semi') ahead++;
    const first = this.peek(ahead);
    const named = (t: typeof first): string | null => {
      const word = t.kind === 'word' ? t.text.toLowerCase() : '';
      return ['begin', 'process', 'end'].includes(word) ? word : null;
    };
    let brace = 1;
    while (this.peek(ahead + brace).kind === 'newline') brace++;
    if (named(first) === null || this.peek(ahead + brace).kind !== 'lbrace') {
      const body = this.statementList('rbrace', open);
      const close = this.next();
      return filter ? { body: [], process: body, end: close.end } : { body, end: close.end };
    }
    const blocks: Record<string, Block> = {};
    for (;;) {
      while (this.peek().kind === 'newline' || this.peek().kind === 'semi') this.next();
      const t = this.peek();
      if (t.kind === 'rbrace') break;
      const name = named(t);
      if (name === null) this.unexpectedToken(t);
      if (blocks[name])
        // ParserStrings.DuplicateScriptCommandClause
        this.fail(
          `Script command clause '${name}' has already been defined.`,
          'DuplicateScriptCommandClause',
        );
      this.next();
      blocks[name] = this.statementBlock([
        "Missing closing '}' in statement block or type definition.",
        'MissingEndCurlyBrace',
      ]).body;
    }
    const close = this.next();
    return {
      body: blocks.end ?? [],
      ...(blocks.begin ? { begin: blocks.begin } : {}),
      ...(blocks.process ? { process: blocks.process } : {}),
      end: close.end,
    };
  }

  protected scriptBlockParts(open: Token): {
    attributes: AttributeNode[];
    parameters: ParameterNode[];
    body: Block;
    begin?: Block;
    process?: Block;
  } {
    const attributes = this.leadingAttributes();
    const parameters = this.optionalParamBlock();
    const { body, begin, process } = this.functionBody(open, false);
    return {
      attributes,
      parameters,
      body,
      ...(begin ? { begin } : {}),
      ...(process ? { process } : {}),
    };
  }

  /** `trap [Type] { ... }` (about_Trap). */
  protected trapStatement(): TrapNode {
    const start = this.next().start;
    this.skipNewlines();
    const type = this.peek().kind === 'type' ? this.next().text : null;
    // ParserStrings.MissingTrapStatement
    const block = this.statementBlock([
      "The 'trap' statement was incomplete. A trap statement requires a body.",
      'MissingTrapStatement',
    ]);
    return { kind: 'trap', type, body: block.body, start, end: block.end };
  }

  /** `switch [-Regex|-Wildcard|-Exact] [-CaseSensitive] (value) { clauses }` (about_Switch). */
  protected switchStatement(): SwitchNode {
    const start = this.next().start;
    let mode: SwitchNode['mode'] = 'exact';
    let caseSensitive = false;
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.kind !== 'parameter') break;
      const flag = t.text.toLowerCase();
      if ('regex'.startsWith(flag)) mode = 'regex';
      else if ('wildcard'.startsWith(flag)) mode = 'wildcard';
      else if ('exact'.startsWith(flag)) mode = 'exact';
      else if ('casesensitive'.startsWith(flag)) caseSensitive = true;
      else if ('file'.startsWith(flag))
        // Our own message: PowerShell reads the file's lines; this product has no script files.
        this.fail(
          'switch -File is not supported by this server (it has no file system for scripts).',
          'SwitchFileNotSupported',
        );
      // ParserStrings.InvalidSwitchFlag
      else
        this.fail(
          `The parameter -${t.text} is not valid for the switch statement.`,
          'InvalidSwitchFlag',
        );
      this.next();
    }
    if (this.peek().kind !== 'lparen')
      // ParserStrings.PipelineValueRequired
      this.fail(
        "A switch statement must have one of the following:  '-file file_name' or '( expression )'.",
        'PipelineValueRequired',
      );
    this.next();
    this.skipNewlines();
    const value = this.statement();
    this.skipNewlines();
    if (this.peek().kind !== 'rparen')
      // ParserStrings.MissingEndParenthesisInSwitchStatement
      this.fail(
        "Missing ')' after expression in switch statement.",
        'MissingEndParenthesisInSwitchStatement',
      );
    this.next();
    this.skipNewlines();
    if (this.peek().kind !== 'lbrace')
      // ParserStrings.MissingCurlyBraceInSwitchStatement
      this.fail("Missing '{' in switch statement.", 'MissingCurlyBraceInSwitchStatement');
    const open = this.next();
    const clauses: SwitchClause[] = [];
    for (;;) {
      while (this.peek().kind === 'newline' || this.peek().kind === 'semi') this.next();
      const t = this.peek();
      if (t.kind === 'rbrace') break;
      if (t.kind === 'eof')
        this.fail(
          "Missing closing '}' in statement block or type definition.",
          'MissingEndCurlyBrace',
          open,
        );
      const isDefault = t.kind === 'word' && t.text.toLowerCase() === 'default';
      let condition: Expression | null = null;
      if (isDefault) {
        if (clauses.some((c) => c.condition === null))
          // ParserStrings.MultipleSwitchDefaultClauses
          this.fail(
            'A switch statement can have only one default clause.',
            'MultipleSwitchDefaultClauses',
          );
        this.next();
      } else condition = this.argumentPrimary();
      // ParserStrings.MissingSwitchStatementClause
      const body = this.statementBlock([
        'Missing statement block in switch statement clause.',
        'MissingSwitchStatementClause',
      ]);
      clauses.push({ condition, body: body.body, start: t.start, end: body.end });
    }
    const close = this.next();
    return { kind: 'switch', mode, caseSensitive, value, clauses, start, end: close.end };
  }

  /** `[type]::Member` or `[type]::Method(args)`, then any postfixes. */
  protected staticMember(type: Token): Expression {
    const member = this.next();
    const open = this.peek();
    if (open.kind === 'lparen' && !open.spaceBefore) {
      const args = this.methodArguments(open);
      const close = this.next();
      return this.postfix({
        kind: 'static',
        type: type.text,
        member: member.text,
        args,
        start: type.start,
        end: close.end,
      });
    }
    return this.postfix({
      kind: 'static',
      type: type.text,
      member: member.text,
      start: type.start,
      end: member.end,
    });
  }

  /** After `@{`: `key = statement` pairs separated by new lines or `;`, up to `}` (about_Hash_Tables). */
  protected hashLiteral(open: Token): Expression {
    const entries: { key: Expression; value: Statement }[] = [];
    const seen = new Set<string>();
    for (;;) {
      while (this.peek().kind === 'newline' || this.peek().kind === 'semi') this.next();
      const t = this.peek();
      if (t.kind === 'rbrace') {
        this.next();
        return { kind: 'hash', entries, start: open.start, end: t.end };
      }
      if (t.kind === 'eof')
        this.fail(
          "Missing closing '}' in statement block or type definition.",
          'MissingEndCurlyBrace',
          open,
        );
      let key: Expression;
      if (t.kind === 'word') {
        this.next();
        key = { kind: 'literal', value: t.text, start: t.start, end: t.end };
      } else key = this.unary(false);
      if (key.kind === 'literal') {
        const text = String(key.value).toLowerCase();
        if (seen.has(text))
          // ParserStrings.DuplicateKeyInHashLiteral
          this.fail(
            `Duplicate keys '${String(key.value)}' are not allowed in hash literals.`,
            'DuplicateKeyInHashLiteral',
            t,
          );
        seen.add(text);
      }
      if (this.peek().kind !== 'equals')
        // ParserStrings.MissingEqualsInHashLiteral
        this.fail("Missing '=' operator after key in hash literal.", 'MissingEqualsInHashLiteral');
      this.next();
      this.skipNewlines();
      if (['rbrace', 'semi', 'eof'].includes(this.peek().kind))
        // ParserStrings.MissingStatementInHashLiteral
        this.fail("Missing statement after '=' in hash literal.", 'MissingStatementInHashLiteral');
      const value = this.statement();
      entries.push({ key, value });
      const after = this.peek().kind;
      if (after !== 'newline' && after !== 'semi' && after !== 'rbrace' && after !== 'eof')
        this.unexpectedToken();
    }
  }
}
