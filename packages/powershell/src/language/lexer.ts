/**
 * The tokenizer. PowerShell decides between "argument mode" and "expression mode" in the parser;
 * here `-word` is always a `parameter` token (the parser reads it as an operator where an operator
 * may stand), and barewords are `word` tokens.
 */
import { PsParseError } from '../errors.js';

export type TokenKind =
  | 'newline'
  | 'semi'
  | 'pipe'
  | 'lparen'
  | 'rparen'
  | 'lbrace'
  | 'rbrace'
  | 'atparen'
  | 'athash'
  | 'splat'
  | 'attribute'
  | 'static'
  | 'dollarparen'
  | 'comma'
  | 'dot'
  | 'member'
  | 'equals'
  | 'lbracket'
  | 'rbracket'
  | 'variable'
  | 'string'
  | 'expandable'
  | 'number'
  | 'parameter'
  | 'word'
  | 'bang'
  | 'type'
  | 'range'
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** Variable/parameter/member name, string contents (raw for expandable strings), bareword text. */
  text: string;
  /** Numbers only. */
  number: number;
  start: number;
  end: number;
  /** Whitespace (or a comment) precedes the token. */
  spaceBefore: boolean;
  /** For `parameter`: written `-Name:` (the value follows the colon). */
  colon: boolean;
  /** The `}` that ends a hash literal: a member or index may follow it. */
  closesHash?: boolean;
  /** The `]` that ends an attribute (`[Parameter()]`): a type literal may follow it. */
  closesAttribute?: boolean;
  /** For a here-string (`@"..."@`, `@'...'@`): where its body starts in the script. */
  bodyStart?: number;
}

/** The value of a decimal, exponent (`1e3`) or hexadecimal (`0x10`, `-0x10`) literal. */
function numberLiteralValue(text: string): number {
  const negative = text.startsWith('-');
  const digits = negative ? text.slice(1) : text;
  const value = /^0x/i.test(digits) ? Number.parseInt(digits.slice(2), 16) : Number(digits);
  return negative ? -value : value;
}

const multipliers: Record<string, number> = {
  kb: 1024,
  mb: 1024 ** 2,
  gb: 1024 ** 3,
  tb: 1024 ** 4,
  pb: 1024 ** 5,
};

const wordStop = new Set([' ', '\t', '\r', '\n', '|', ';', '(', ')', '{', '}', ',', '"', "'"]);
const isIdent = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);
const isSpace = (c: string | undefined): boolean =>
  c === ' ' || c === '\t' || c === '\r' || c === '\u00a0';

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let spaceBefore = false;
  /**
   * What each open bracket is: directly inside `@{ }` a bareword key ends at `=` (`@{a=1}`),
   * elsewhere `=` may be part of an argument.
   */
  const open: ('hash' | 'block' | 'paren' | 'attribute')[] = [];
  /** Set when `)` closed an attribute's arguments: the `]` after it ends the attribute. */
  let attributeClosed = false;
  const opens: Partial<Record<TokenKind, 'hash' | 'block' | 'paren' | 'attribute'>> = {
    athash: 'hash',
    lbrace: 'block',
    lparen: 'paren',
    atparen: 'paren',
    dollarparen: 'paren',
    attribute: 'attribute',
  };
  const push = (kind: TokenKind, start: number, text = '', extra: Partial<Token> = {}): void => {
    tokens.push({ kind, text, number: 0, start, end: i, spaceBefore, colon: false, ...extra });
    spaceBefore = false;
    const closesAttribute = attributeClosed && kind === 'rbracket';
    attributeClosed = false;
    if (closesAttribute) {
      const token = tokens[tokens.length - 1];
      if (token) token.closesAttribute = true;
    }
    const opened = opens[kind];
    if (opened) open.push(opened);
    else if (kind === 'rparen' || kind === 'rbrace') {
      const closed = open.pop();
      attributeClosed = closed === 'attribute';
      const token = tokens[tokens.length - 1];
      // `@{ a = 1 }.a`: a member of a hash literal.
      if (closed === 'hash' && token) token.closesHash = true;
    }
  };
  /** After a value, `.name` is member access and `[` is indexing. */
  const postfixAllowed = (): boolean => {
    const last = tokens[tokens.length - 1];
    return (
      !spaceBefore &&
      last !== undefined &&
      last.closesAttribute !== true &&
      (last.closesHash === true ||
        ['variable', 'rparen', 'member', 'rbracket', 'string', 'expandable', 'static'].includes(
          last.kind,
        ))
    );
  };

  /**
   * `@"` or `@'`, the rest of the line empty, then lines up to one that starts with `"@` or `'@`
   * (about_Quoting_Rules, here-strings). The body leaves out the line breaks after the header and
   * before the footer; `@"..."@` expands variables and subexpressions, `@'...'@` takes text as it is.
   */
  const hereString = (start: number): void => {
    const quote = source[start + 1] ?? '"';
    let j = start + 2;
    while (isSpace(source[j])) j++;
    if (source[j] === '\r') j++;
    if (source[j] !== '\n')
      throw new PsParseError(
        'No characters are allowed after a here-string header but before the end of the line.',
        'UnexpectedCharactersAfterHereStringHeader',
        { start: j, end: j + 1 },
      );
    const bodyStart = j + 1;
    const footerAt = source.indexOf(`\n${quote}@`, bodyStart - 1);
    if (footerAt === -1)
      throw new PsParseError(
        `The string is missing the terminator: ${quote}@.`,
        'TerminatorExpectedAtEndOfString',
        { start, end: source.length },
      );
    const bodyEnd = footerAt > bodyStart && source[footerAt - 1] === '\r' ? footerAt - 1 : footerAt;
    i = footerAt + 3;
    const body = bodyEnd > bodyStart ? source.slice(bodyStart, bodyEnd) : '';
    push(quote === '"' ? 'expandable' : 'string', start, body, { bodyStart });
  };

  while (i < source.length) {
    const c = source[i] ?? '';
    const start = i;
    if (isSpace(c)) {
      i++;
      spaceBefore = true;
      continue;
    }
    if (
      c === '`' &&
      (source[i + 1] === '\n' || (source[i + 1] === '\r' && source[i + 2] === '\n'))
    ) {
      i += source[i + 1] === '\n' ? 2 : 3; // line continuation
      spaceBefore = true;
      continue;
    }
    if (c === '#') {
      while (i < source.length && source[i] !== '\n') i++;
      spaceBefore = true;
      continue;
    }
    if (c === '<' && source[i + 1] === '#') {
      const close = source.indexOf('#>', i + 2);
      if (close === -1)
        // ParserStrings.MissingTerminatorMultiLineComment, underlined from `<#` to the end.
        throw new PsParseError(
          "The terminator '#>' is missing from the multiline comment.",
          'MissingTerminatorMultiLineComment',
          { start, end: source.length },
        );
      i = close + 2;
      spaceBefore = true;
      continue;
    }
    if (c === '\n') {
      i++;
      // A CRLF line end is one newline token from its CR (a .ps1 saved on Windows).
      push('newline', source[start - 1] === '\r' ? start - 1 : start);
      continue;
    }
    const single: Record<string, TokenKind> = {
      ';': 'semi',
      '|': 'pipe',
      '(': 'lparen',
      ')': 'rparen',
      '{': 'lbrace',
      '}': 'rbrace',
      ',': 'comma',
      ']': 'rbracket',
      '!': 'bang',
    };
    const singleKind = single[c];
    if (singleKind) {
      i++;
      push(singleKind, start, c);
      continue;
    }
    // An attribute such as [CmdletBinding()] or [Parameter(Mandatory)] (about_Functions_Advanced).
    const attribute = postfixAllowed()
      ? null
      : /^\[([A-Za-z_][\w.]*)\(/.exec(source.slice(i, i + 200));
    if (attribute) {
      i += attribute[0].length;
      push('attribute', start, attribute[1]);
      continue;
    }
    // `[datetime]::Now`, `[math]::Round(...)`: a static member right after a type literal.
    const previousToken = tokens[tokens.length - 1];
    const staticMember =
      previousToken?.kind === 'type' && !spaceBefore
        ? /^::([A-Za-z_]\w*)/.exec(source.slice(i, i + 200))
        : null;
    if (staticMember) {
      i += staticMember[0].length;
      push('static', start, staticMember[1]);
      continue;
    }
    // A type literal such as [void], [int] or [System.Management.Automation.RuntimeException]
    // where a value may start (not an index after a value).
    const typeLiteral = postfixAllowed()
      ? null
      : /^\[([A-Za-z_][\w.]*(?:\[\])?)\]/.exec(source.slice(i, i + 200));
    if (typeLiteral) {
      i += typeLiteral[0].length;
      push('type', start, typeLiteral[1]);
      continue;
    }
    if (c === '[') {
      i++;
      push('lbracket', start, c);
      continue;
    }
    if (c === '=') {
      i++;
      push('equals', start, c);
      continue;
    }
    // `1..3`, `$a..$b`: the range operator directly after a number, variable or `)`.
    const last = tokens[tokens.length - 1];
    if (
      c === '.' &&
      source[i + 1] === '.' &&
      !spaceBefore &&
      last !== undefined &&
      ['number', 'variable', 'rparen'].includes(last.kind)
    ) {
      i += 2;
      push('range', start, '..');
      continue;
    }
    if (c === '.' && postfixAllowed() && isIdent(source[i + 1])) {
      i++;
      push('dot', start, '.');
      const memberStart = i;
      while (isIdent(source[i])) i++;
      push('member', memberStart, source.slice(memberStart, i));
      continue;
    }
    if (c === '@' && (source[i + 1] === '"' || source[i + 1] === "'")) {
      hereString(start);
      continue;
    }
    if (c === '@' && source[i + 1] === '{') {
      i += 2;
      push('athash', start, '@{');
      continue;
    }
    if (c === '@' && (isIdent(source[i + 1]) || source[i + 1] === '_')) {
      // `@params`: splatting (about_Splatting); only an argument of a command may be splatted.
      i++;
      while (isIdent(source[i])) i++;
      push('splat', start, source.slice(start + 1, i));
      continue;
    }
    if (c === '@' && source[i + 1] === '(') {
      i += 2;
      push('atparen', start, '@(');
      continue;
    }
    if (c === '$' && source[i + 1] === '(') {
      i += 2;
      push('dollarparen', start, '$(');
      continue;
    }
    if (c === '$' && (source[i + 1] === '?' || source[i + 1] === '^')) {
      // $? (the last statement's success) and $^ (automatic variables, about_Automatic_Variables)
      i += 2;
      push('variable', start, source[start + 1] ?? '?');
      continue;
    }
    if (c === '$' && (isIdent(source[i + 1]) || source[i + 1] === '_')) {
      i++;
      while (isIdent(source[i])) i++;
      // `$env:NAME`, `$script:count`, `$global:x`: a drive or scope before the name (about_Scopes,
      // about_Environment_Variables).
      if (source[i] === ':' && /[A-Za-z_]/.test(source[i + 1] ?? '')) {
        i++;
        while (isIdent(source[i])) i++;
      }
      push('variable', start, source.slice(start + 1, i));
      continue;
    }
    if (c === '$' && source[i + 1] === '{') {
      // `${env:NAME}`, `${my var}`: a variable name in braces (about_Variables).
      const close = source.indexOf('}', i + 2);
      if (close > i + 2 && !source.slice(i + 2, close).includes('\n')) {
        i = close + 1;
        push('variable', start, source.slice(start + 2, close));
        continue;
      }
    }
    if (c === "'" || c === '\u2018' || c === '\u2019') {
      i++;
      let text = '';
      for (;;) {
        const d = source[i];
        if (d === undefined) {
          throw new PsParseError(
            "The string is missing the terminator: '.",
            'TerminatorExpectedAtEndOfString',
            { start, end: source.length },
          );
        }
        i++;
        if (d === "'" || d === '\u2018' || d === '\u2019') {
          if (source[i] === "'") {
            text += "'";
            i++;
            continue;
          }
          break;
        }
        text += d;
      }
      push('string', start, text);
      continue;
    }
    if (c === '"' || c === '\u201c' || c === '\u201d') {
      i++;
      const bodyStart = i;
      let depth = 0;
      for (;;) {
        const d = source[i];
        if (d === undefined) {
          throw new PsParseError(
            'The string is missing the terminator: ".',
            'TerminatorExpectedAtEndOfString',
            { start, end: source.length },
          );
        }
        if (d === '`') {
          i += 2;
          continue;
        }
        if (d === '$' && source[i + 1] === '(') {
          depth++;
          i += 2;
          continue;
        }
        if (d === ')' && depth > 0) depth--;
        if ((d === '"' || d === '\u201c' || d === '\u201d') && depth === 0) {
          if (source[i + 1] === '"') {
            i += 2;
            continue;
          }
          break;
        }
        i++;
      }
      const body = source.slice(bodyStart, i);
      i++;
      push('expandable', start, body);
      continue;
    }
    // A compound assignment operator after an assignable value, with or without spaces: `$a-=1`,
    // `$a +=1`, `$h.n *= 2` (about_Assignment_Operators).
    const assignable = tokens[tokens.length - 1];
    if (
      '+-*/%'.includes(c) &&
      source[i + 1] === '=' &&
      assignable !== undefined &&
      ['variable', 'rbracket', 'member'].includes(assignable.kind)
    ) {
      i += 2;
      push('word', start, source.slice(start, i));
      continue;
    }
    // An arithmetic operator glued to the value before it: `$a/2`, `1+1`, `$i-1`, `$n*2`, `$i++`
    // (about_Arithmetic_Operators: spaces around operators are optional). Only right after a
    // value, so barewords such as `web-01` or `C:\vm+1` in argument mode keep their text.
    const previous = tokens[tokens.length - 1];
    const afterValue =
      !spaceBefore &&
      previous !== undefined &&
      ['variable', 'number', 'rparen', 'rbracket', 'member', 'string', 'expandable'].includes(
        previous.kind,
      );
    if (afterValue && ('+*/%'.includes(c) || (c === '-' && /[\d$(-]/.test(source[i + 1] ?? '')))) {
      const next = source[i + 1];
      i += (c === '+' && next === '+') || (c === '-' && next === '-') || next === '=' ? 2 : 1;
      push('word', start, source.slice(start, i));
      continue;
    }
    // Numbers: 42, 1.5, 1e3, 1.5e-2, 0x10, 1GB, -3 (a minus directly before a digit);
    // about_Numeric_Literals.
    const numberMatch = /^-?(?:0x[0-9a-f]+|\d+(?:\.\d+)?(?:e[+-]?\d+)?)(kb|mb|gb|tb|pb)?/i.exec(
      source.slice(i),
    );
    if (numberMatch && (c !== '-' || !postfixAllowed())) {
      const after = source[i + numberMatch[0].length];
      const range = after === '.' && source[i + numberMatch[0].length + 1] === '.';
      const operator = after !== undefined && '+-*/%'.includes(after);
      if (
        after === undefined ||
        wordStop.has(after) ||
        after === ']' ||
        after === '=' ||
        range ||
        operator
      ) {
        i += numberMatch[0].length;
        const suffix = numberMatch[1]?.toLowerCase();
        const base = numberLiteralValue(
          numberMatch[0].slice(0, numberMatch[0].length - (suffix?.length ?? 0)),
        );
        push('number', start, numberMatch[0], {
          number: base * (suffix ? (multipliers[suffix] ?? 1) : 1),
        });
        continue;
      }
    }
    if (c === '-' && (source[i + 1] === '$' || source[i + 1] === '(')) {
      // `-$x`, `-(...)`: a negation (the parser decides; in argument mode it stays text).
      i++;
      push('word', start, '-');
      continue;
    }
    if ((c === '-' || c === '\u2013' || c === '\u2014') && /[A-Za-z_?]/.test(source[i + 1] ?? '')) {
      i++;
      const nameStart = i;
      while (i < source.length && /[A-Za-z0-9_?-]/.test(source[i] ?? '')) i++;
      const name = source.slice(nameStart, i);
      let colon = false;
      if (source[i] === ':') {
        colon = true;
        i++;
      }
      push('parameter', start, name, { colon });
      continue;
    }
    // Anything else: a bareword (command name, unquoted argument such as VM_Name, Experiment*, C:\x).
    const inHash = open[open.length - 1] === 'hash' || open[open.length - 1] === 'attribute';
    while (i < source.length && !wordStop.has(source[i] ?? ' ') && !(inHash && source[i] === '='))
      i++;
    if (i === start) i++;
    push('word', start, source.slice(start, i));
  }
  push('eof', i);
  return tokens;
}
