/**
 * The statements of the PowerShell subset: assignments, `if`/`elseif`/`else`, `foreach`, `for`,
 * `while`, `do`/`while`/`until`, `break`, `continue`, `return`, `exit`, `throw`,
 * `try`/`catch`/`finally` and `function` (about_If, about_Foreach, about_For, about_While, about_Do,
 * about_Break, about_Continue, about_Return, about_Throw, about_Try_Catch_Finally, about_Functions).
 * Pipelines and expressions are parsed by expressionParser.ts.
 *
 * The parse error messages are PowerShell's own, from ParserStrings.resx
 * (PowerShell/PowerShell src/System.Management.Automation/resources/ParserStrings.resx); each
 * message below names its resource.
 */
import { after } from './parseErrors.js';
import type {
  AssignmentOperator,
  AttributeNode,
  Block,
  CatchClause,
  FlowNode,
  ParameterNode,
  Script,
  Statement,
} from './ast.js';
import { compoundAssignmentOperators } from './ast.js';
import { ShellStatementParser } from './shellStatements.js';
import type { Token } from './lexer.js';
import { tokenize } from './lexer.js';

export { MAX_NESTING_DEPTH } from './expressionParser.js';

export function parseScript(source: string): Script {
  return new Parser(source, tokenize(source)).script();
}

const flowKeywords = ['break', 'continue', 'return', 'exit', 'throw'] as const;
type FlowKeyword = (typeof flowKeywords)[number];

class Parser extends ShellStatementParser {
  override script(): Script {
    const parameters = this.optionalParamBlock();
    const script = super.script();
    return parameters.length > 0 ? { ...script, parameters } : script;
  }

  protected nestedScript(inner: string): Script {
    return new Parser(inner, tokenize(inner), this.depth).script();
  }

  protected statement(): Statement {
    const label = this.loopLabel();
    if (label !== null) {
      const loop = this.statement();
      return loop.kind === 'foreach' ||
        loop.kind === 'for' ||
        loop.kind === 'while' ||
        loop.kind === 'do' ||
        loop.kind === 'switch'
        ? { ...loop, label }
        : loop;
    }
    const t = this.peek();
    if (t.kind === 'type' && this.peek(1).kind === 'variable' && this.peek(2).kind === 'equals') {
      this.next();
      const assignment = this.statement();
      return assignment.kind === 'assignment'
        ? { ...assignment, typeConstraint: t.text, start: t.start }
        : assignment;
    }
    const keyword = t.kind === 'word' ? t.text.toLowerCase() : '';
    switch (keyword) {
      case 'switch':
        if (this.peek(1).kind === 'lparen' || this.peek(1).kind === 'parameter')
          return this.nest(t, 1, () => this.switchStatement());
        break;
      case 'trap':
        return this.nest(t, 1, () => this.trapStatement());
      case 'if':
        return this.nest(t, 1, () => this.ifStatement());
      case 'foreach':
        if (this.peek(1).kind === 'lparen') return this.nest(t, 1, () => this.foreachStatement());
        break;
      case 'for':
        return this.nest(t, 1, () => this.forStatement());
      case 'while':
        return this.nest(t, 1, () => this.whileStatement());
      case 'do':
        return this.nest(t, 1, () => this.doStatement());
      case 'try':
        return this.nest(t, 1, () => this.tryStatement());
      case 'function':
      case 'filter':
        return this.nest(t, 1, () => this.functionStatement());
      default:
        if ((flowKeywords as readonly string[]).includes(keyword))
          return this.flowStatement(keyword as FlowKeyword);
    }
    if (t.kind === 'variable') {
      const member = this.assignmentTarget();
      if (member) {
        const { target, operator } = member;
        if (operator === '++' || operator === '--')
          return {
            kind: 'assignment',
            variable: t.text,
            target,
            operator,
            value: null,
            start: t.start,
            end: this.tokens[this.pos - 1]?.end ?? target.end,
          };
        this.skipNewlines();
        const value = this.statement();
        return {
          kind: 'assignment',
          variable: t.text,
          target,
          operator,
          value,
          start: t.start,
          end: value.end,
        };
      }
      const op = this.peek(1);
      const operator: AssignmentOperator | null =
        op.kind === 'equals'
          ? '='
          : op.kind === 'word' && compoundAssignmentOperators.includes(op.text)
            ? (op.text as AssignmentOperator)
            : null;
      if (operator !== null) {
        this.next();
        this.next();
        if (operator === '++' || operator === '--')
          return { kind: 'assignment', variable: t.text, operator, value: null, ...span(t, op) };
        this.skipNewlines();
        if (this.atStatementEnd())
          // ParserStrings.ExpectedValueExpression
          this.fail(
            "You must provide a value expression following the '" + operator + "' operator.",
            'ExpectedValueExpression',
          );
        const value = this.statement();
        return {
          kind: 'assignment',
          variable: t.text,
          operator,
          value,
          start: t.start,
          end: value.end,
        };
      }
    }
    return this.pipeline();
  }

  private ifStatement(): Statement {
    const start = this.next().start;
    const clauses: { condition: Statement; body: Block }[] = [];
    let elseBody: Block | null = null;
    let keyword = 'if';
    for (;;) {
      // ParserStrings.MissingOpenParenthesisInIfStatement, MissingStatementBlock
      const condition = this.condition(keyword, [
        `Missing '(' after '${keyword}' in if statement.`,
        'MissingOpenParenthesisInIfStatement',
      ]);
      // Reported at the condition's `)` (Parser.cs: rParen.Extent).
      const block = this.statementBlock(
        [`Missing statement block after ${keyword} ( condition ).`, 'MissingStatementBlock'],
        this.tokens[this.pos - 1],
      );
      clauses.push({ condition, body: block.body });
      let end = block.end;
      const next = this.followedBy(['elseif', 'else']);
      if (next === 'elseif') {
        keyword = 'elseif';
        continue;
      }
      if (next === 'else') {
        // ParserStrings.MissingStatementBlockAfterElse
        const elseBlock = this.statementBlock([
          "Missing statement block after 'else' keyword.",
          'MissingStatementBlockAfterElse',
        ]);
        elseBody = elseBlock.body;
        end = elseBlock.end;
      }
      return { kind: 'if', clauses, elseBody, start, end };
    }
  }

  private foreachStatement(): Statement {
    const start = this.next().start;
    const form = 'The correct form is: foreach ($a in $b) {...}';
    this.next(); // (
    this.skipNewlines();
    const variable = this.peek();
    if (variable.kind !== 'variable')
      // ParserStrings.MissingVariableNameAfterForeach
      this.fail(`Missing variable name after foreach. ${form}`, 'MissingVariableNameAfterForeach');
    this.next();
    this.skipNewlines();
    const inWord = this.peek();
    if (inWord.kind !== 'word' || inWord.text.toLowerCase() !== 'in')
      // ParserStrings.MissingInInForeach, right after the variable (Parser.cs: After(variable)).
      this.fail(
        `Missing 'in' after variable in foreach loop. ${form}`,
        'MissingInInForeach',
        after(variable),
      );
    this.next();
    this.skipNewlines();
    if (this.peek().kind === 'rparen' || this.peek().kind === 'eof')
      // ParserStrings.MissingForeachExpression
      this.fail(`Missing expression in foreach loop. ${form}`, 'MissingForeachExpression');
    const collection = this.statement();
    this.skipNewlines();
    if (this.peek().kind !== 'rparen')
      // ParserStrings.MissingEndParenthesisAfterForeach
      this.fail(
        `Missing closing ')' after expression part of foreach loop. ${form}`,
        'MissingEndParenthesisAfterForeach',
      );
    this.next();
    // ParserStrings.MissingForeachStatement
    const block = this.statementBlock([
      `Missing statement body in foreach loop. ${form}`,
      'MissingForeachStatement',
    ]);
    return {
      kind: 'foreach',
      variable: variable.text,
      collection,
      body: block.body,
      start,
      end: block.end,
    };
  }

  private forStatement(): Statement {
    const start = this.next().start;
    this.skipNewlines();
    if (this.peek().kind !== 'lparen')
      // ParserStrings.MissingOpenParenthesisAfterKeyword
      this.fail("Missing opening '(' after keyword 'for'.", 'MissingOpenParenthesisAfterKeyword');
    this.next();
    const part = (terminator: 'semi' | 'rparen'): Statement | null => {
      this.skipNewlines();
      if (this.peek().kind === terminator) {
        this.next();
        return null;
      }
      const statement = this.statement();
      this.skipNewlines();
      if (terminator === 'semi' && this.peek().kind === 'semi') this.next();
      else if (terminator === 'rparen') {
        if (this.peek().kind !== 'rparen')
          // ParserStrings.MissingEndParenthesisAfterStatement
          this.fail(
            "Missing closing ')' after expression in 'for' statement.",
            'MissingEndParenthesisAfterStatement',
          );
        this.next();
      }
      return statement;
    };
    const init = part('semi');
    const condition = part('semi');
    const iterator = part('rparen');
    // ParserStrings.MissingLoopStatement
    // Reported right after the `)` (Parser.cs: After(rParen)).
    const close = this.tokens[this.pos - 1];
    const block = this.statementBlock(
      ['Missing statement body in for loop.', 'MissingLoopStatement'],
      close ? after(close) : undefined,
    );
    return { kind: 'for', init, condition, iterator, body: block.body, start, end: block.end };
  }

  private whileStatement(): Statement {
    const start = this.next().start;
    const condition = this.condition('while', [
      "Missing opening '(' after keyword 'while'.",
      'MissingOpenParenthesisAfterKeyword',
    ]);
    const block = this.statementBlock([
      'Missing statement body in while loop.',
      'MissingLoopStatement',
    ]);
    return { kind: 'while', condition, body: block.body, start, end: block.end };
  }

  private doStatement(): Statement {
    const start = this.next().start;
    const block = this.statementBlock([
      "Missing statement body after keyword 'do'.",
      'MissingStatementAfterKeyword',
    ]);
    const keyword = this.followedBy(['while', 'until']);
    if (keyword === null)
      // ParserStrings.MissingWhileOrUntilInDoWhile
      this.fail('Missing while or until keyword in do loop.', 'MissingWhileOrUntilInDoWhile');
    const condition = this.condition(keyword, [
      `Missing opening '(' after keyword '${keyword}'.`,
      'MissingOpenParenthesisAfterKeyword',
    ]);
    const end = this.tokens[this.pos - 1]?.end ?? block.end;
    return { kind: 'do', until: keyword === 'until', condition, body: block.body, start, end };
  }

  private flowStatement(keyword: FlowKeyword): FlowNode {
    const t = this.next();
    const label = this.peek();
    if ((keyword === 'break' || keyword === 'continue') && label.kind === 'word')
      // `break outer`, `continue outer` (about_Break, about_Continue).
      return { kind: 'flow', keyword, value: null, label: this.next().text, ...span(t, label) };
    if (
      keyword === 'break' ||
      keyword === 'continue' ||
      this.atStatementEnd() ||
      this.peek().kind === 'pipe'
    )
      return { kind: 'flow', keyword, value: null, start: t.start, end: t.end };
    const value = this.statement();
    return { kind: 'flow', keyword, value, start: t.start, end: value.end };
  }

  private tryStatement(): Statement {
    const start = this.next().start;
    // ParserStrings.MissingTryStatementBlock
    const block = this.statementBlock([
      'The Try statement is missing its statement block.',
      'MissingTryStatementBlock',
    ]);
    const catches: CatchClause[] = [];
    let finallyBody: Block | null = null;
    let end = block.end;
    for (;;) {
      const keyword = this.followedBy(['catch', 'finally']);
      if (keyword === 'catch') {
        const catchStart = this.tokens[this.pos - 1]?.start ?? end;
        const types: string[] = [];
        for (;;) {
          this.skipNewlines();
          if (this.peek().kind !== 'type') break;
          types.push(this.next().text);
          this.skipNewlines();
          if (this.peek().kind === 'comma') this.next();
        }
        const previous = catches[catches.length - 1];
        if (previous?.types.length === 0)
          // ParserStrings.EmptyCatchNotLast
          this.fail('Catch block must be the last catch block.', 'EmptyCatchNotLast');
        // ParserStrings.MissingCatchHandlerBlock
        const handler = this.statementBlock([
          'The Catch block is missing its statement block.',
          'MissingCatchHandlerBlock',
        ]);
        catches.push({ types, body: handler.body, start: catchStart, end: handler.end });
        end = handler.end;
        continue;
      }
      if (keyword === 'finally') {
        // ParserStrings.MissingFinallyStatementBlock
        const handler = this.statementBlock([
          'The Finally block is missing its statement block.',
          'MissingFinallyStatementBlock',
        ]);
        finallyBody = handler.body;
        end = handler.end;
      }
      break;
    }
    if (catches.length === 0 && finallyBody === null)
      // ParserStrings.MissingCatchOrFinally
      this.fail(
        'The Try statement is missing its Catch or Finally block.',
        'MissingCatchOrFinally',
      );
    return { kind: 'try', body: block.body, catches, finallyBody, start, end };
  }

  private functionStatement(): Statement {
    const keyword = this.next();
    const name = this.peek();
    if (name.kind !== 'word')
      // ParserStrings.MissingNameAfterKeyword
      this.fail(
        `Missing name after ${keyword.text.toLowerCase()} keyword.`,
        'MissingNameAfterKeyword',
      );
    this.next();
    let parameters: ParameterNode[] = [];
    if (this.peek().kind === 'lparen') {
      this.next();
      parameters = this.parameterList();
    }
    // ParserStrings.MissingFunctionBody
    this.skipNewlines();
    if (this.peek().kind !== 'lbrace')
      this.fail('Missing function body in function declaration.', 'MissingFunctionBody');
    const open = this.next();
    const attributes = this.leadingAttributes();
    const fromBlock = this.optionalParamBlock();
    if (fromBlock.length > 0 && parameters.length > 0)
      // ParserStrings.OnlyOneParameterListAllowed
      this.fail(
        'The param statement cannot be used if arguments were specified in the function declaration.',
        'OnlyOneParameterListAllowed',
      );
    const body = this.functionBody(open, keyword.text.toLowerCase() === 'filter');
    return {
      kind: 'function',
      name: name.text,
      parameters: fromBlock.length > 0 ? fromBlock : parameters,
      body: body.body,
      ...(body.begin ? { begin: body.begin } : {}),
      ...(body.process ? { process: body.process } : {}),
      ...(attributes.length > 0 ? { attributes } : {}),
      start: keyword.start,
      end: body.end,
    };
  }

  protected optionalParamBlock(): ParameterNode[] {
    this.leadingAttributes();
    let ahead = 0;
    while (this.peek(ahead).kind === 'newline' || this.peek(ahead).kind === 'semi') ahead++;
    const t = this.peek(ahead);
    if (
      t.kind !== 'word' ||
      t.text.toLowerCase() !== 'param' ||
      this.peek(ahead + 1).kind !== 'lparen'
    )
      return [];
    for (let i = 0; i <= ahead + 1; i++) this.next();
    return this.parameterList();
  }

  /** After `(`: `[type]$Name = default, ...` up to and including `)`. */
  private parameterList(): ParameterNode[] {
    const parameters: ParameterNode[] = [];
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.kind === 'rparen') {
        this.next();
        return parameters;
      }
      if (t.kind === 'eof')
        // ParserStrings.MissingEndParenthesisInFunctionParameterList
        this.fail(
          "Missing ')' in function parameter list.",
          'MissingEndParenthesisInFunctionParameterList',
        );
      let type: string | null = null;
      const attributes: AttributeNode[] = [];
      while (this.peek().kind === 'type' || this.peek().kind === 'attribute') {
        if (this.peek().kind === 'attribute') attributes.push(this.attribute());
        else type = this.next().text.toLowerCase();
        this.skipNewlines();
      }
      const variable = this.peek();
      if (variable.kind !== 'variable')
        // ParserStrings.InvalidFunctionParameter
        this.fail(
          'Parameter declarations are a comma-separated list of variable names with optional initializer expressions.',
          'InvalidFunctionParameter',
        );
      this.next();
      if (parameters.some((p) => p.name.toLowerCase() === variable.text.toLowerCase()))
        // ParserStrings.DuplicateFormalParameter
        this.fail(
          `Duplicate parameter $${variable.text} in parameter list.`,
          'DuplicateFormalParameter',
          variable,
        );
      let defaultValue = null;
      this.skipNewlines();
      if (this.peek().kind === 'equals') {
        this.next();
        this.skipNewlines();
        defaultValue = this.comparison(false);
      }
      parameters.push({
        name: variable.text,
        type,
        defaultValue,
        ...(attributes.length > 0 ? { attributes } : {}),
        start: t.start,
        end: defaultValue?.end ?? variable.end,
      });
      this.skipNewlines();
      if (this.peek().kind === 'comma') this.next();
    }
  }
}

function span(a: Token, b: Token): { start: number; end: number } {
  return { start: a.start, end: b.end };
}
