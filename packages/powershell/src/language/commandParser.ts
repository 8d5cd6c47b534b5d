/**
 * Pipelines and commands in argument mode (about_Parsing): `Get-VM -Name Web* | Checkpoint-VM`,
 * barewords as strings, `-Name:value`, comma lists, and the call operator `& $block args`.
 */
import { after } from './parseErrors.js';
import type {
  CommandArgument,
  CommandNode,
  Expression,
  PipelineNode,
  RedirectionNode,
} from './ast.js';
import { ExpressionParser } from './expressionParser.js';
import { expressionStart } from './expressionStart.js';
import { redirectionOperator, streamName } from './redirection.js';

export abstract class CommandParser extends ExpressionParser {
  protected pipeline(): PipelineNode {
    const first = this.peek();
    const elements: PipelineNode['elements'] = [];
    const negation = first.kind === 'word' && first.text === '-' && !this.peek(1).spaceBefore;
    if (first.kind === 'word' && !negation) {
      elements.push(this.command());
    } else if (
      expressionStart.includes(first.kind) ||
      first.kind === 'parameter' ||
      first.kind === 'splat' ||
      first.kind === 'comma' ||
      negation
    ) {
      const expression = this.expression();
      const redirections = this.redirections();
      elements.push({
        kind: 'expression-element',
        expression,
        start: expression.start,
        end: redirections[redirections.length - 1]?.end ?? expression.end,
        ...(redirections.length > 0 ? { redirections } : {}),
      });
    } else if (first.kind === 'pipe') {
      // A line starting with `|` (PowerShell 7's continuation): the first element is empty.
      this.fail('An empty pipe element is not allowed.', 'EmptyPipeElement', first);
    } else {
      this.unexpectedToken(first);
    }
    while (this.peek().kind === 'pipe') {
      const pipe = this.next();
      this.skipNewlines();
      // ParserStrings.EmptyPipeElement, right after the `|` at the end of the script.
      if (this.peek().kind !== 'word')
        this.fail(
          'An empty pipe element is not allowed.',
          'EmptyPipeElement',
          this.peek().kind === 'eof' ? after(pipe) : pipe,
        );
      elements.push(this.command());
    }
    const last = elements[elements.length - 1];
    return { kind: 'pipeline', elements, start: first.start, end: last?.end ?? first.end };
  }

  protected command(): CommandNode {
    const nameToken = this.next();
    const args: CommandArgument[] = [];
    let end = nameToken.end;
    // `& $block args` / `& { ... }`: the call operator runs a script block (about_Operators).
    let invoke: Expression | undefined;
    if (nameToken.text === '&') {
      if (!expressionStart.includes(this.peek().kind) && this.peek().kind !== 'word')
        this.fail(
          "Missing expression after '&' in pipeline element.",
          'MissingExpression',
          nameToken,
        );
      invoke = this.argumentPrimary();
      end = invoke.end;
    }
    const redirections: RedirectionNode[] = [];
    for (;;) {
      const t = this.peek();
      if (['newline', 'semi', 'pipe', 'eof', 'rparen', 'rbrace'].includes(t.kind)) break;
      const redirection = this.redirection(redirections);
      if (redirection) {
        redirections.push(redirection);
        end = redirection.end;
        continue;
      }
      if (t.kind === 'parameter') {
        this.next();
        let value: Expression | null = null;
        if (t.colon) value = this.argumentValue();
        end = value?.end ?? t.end;
        args.push({ kind: 'parameter', name: t.text, value, start: t.start, end });
        continue;
      }
      if (t.kind === 'splat') {
        // `@params` (about_Splatting); ParserStrings.SplattingNotPermittedInArgumentList in a list.
        this.next();
        if (this.peek().kind === 'comma')
          this.fail(
            `Splatted variables like '@${t.text}' cannot be part of a comma-separated list of arguments.`,
            'SplattingNotPermittedInArgumentList',
            t,
          );
        end = t.end;
        args.push({ kind: 'splat', variable: t.text, start: t.start, end: t.end });
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
      ...(invoke ? { invoke } : {}),
      ...(redirections.length > 0 ? { redirections } : {}),
      start: nameToken.start,
      end,
    };
  }

  /** The redirections after an expression (`$x > $null`, `'w' 3>&1`). */
  protected redirections(): RedirectionNode[] {
    const found: RedirectionNode[] = [];
    for (let next = this.redirection(found); next; next = this.redirection(found)) found.push(next);
    return found;
  }

  /**
   * One redirection operator and its file (about_Redirection), or null when the next token is not
   * one. Errors are ParserStrings' MissingFileSpecification and StreamAlreadyRedirected.
   */
  protected redirection(earlier: RedirectionNode[]): RedirectionNode | null {
    const t = this.peek();
    if (t.kind !== 'word') return null;
    const operator = redirectionOperator(t.text);
    if (!operator) return null;
    this.next();
    if (earlier.some((r) => r.stream === operator.stream))
      this.fail(
        `The ${streamName(operator.stream)} for this command is already redirected.`,
        'StreamAlreadyRedirected',
        t,
      );
    if (operator.merge || operator.target !== null) {
      const target: Expression | null =
        operator.target === null
          ? null
          : operator.target.toLowerCase() === '$null'
            ? { kind: 'variable', name: 'null', start: t.start, end: t.end }
            : { kind: 'literal', value: operator.target, bare: true, start: t.start, end: t.end };
      return { kind: 'redirection', ...operator, target, start: t.start, end: t.end };
    }
    const next = this.peek();
    if (['newline', 'semi', 'pipe', 'eof', 'rparen', 'rbrace'].includes(next.kind))
      this.fail(
        'Missing file specification after redirection operator.',
        'MissingFileSpecification',
        t,
      );
    const target = this.argumentPrimary();
    return { kind: 'redirection', ...operator, target, start: t.start, end: target.end };
  }

  /** An argument: a primary with postfixes, or a comma list of them (`a, b`). Barewords are strings. */
  protected argumentValue(): Expression {
    const first = this.argumentPrimary();
    if (this.peek().kind !== 'comma') return first;
    const items = [first];
    while (this.peek().kind === 'comma') {
      const comma = this.next();
      this.skipNewlines();
      // ParserStrings.MissingExpression: "Missing expression after '{0}' in pipeline element."
      if (['eof', 'pipe', 'semi', 'newline', 'rbrace', 'rparen'].includes(this.peek().kind))
        this.fail(
          "Missing expression after ',' in pipeline element.",
          'MissingExpression',
          after(comma),
        );
      items.push(this.argumentPrimary());
    }
    return {
      kind: 'array',
      items,
      start: first.start,
      end: items[items.length - 1]?.end ?? first.end,
    };
  }

  protected argumentPrimary(): Expression {
    const t = this.peek();
    if (
      t.kind === 'type' &&
      (this.peek(1).spaceBefore || !expressionStart.includes(this.peek(1).kind))
    ) {
      this.next();
      return { kind: 'literal', value: `[${t.text}]`, bare: true, start: t.start, end: t.end };
    }
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
}
