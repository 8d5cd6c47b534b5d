/** Double-quoted strings: text, `$variable` and `$(...)` parts, and backtick escapes. */
import type { Script, StringPart } from './ast.js';

/** Splits a double-quoted string into text and `$var` / `$(...)` parts; handles backtick escapes. */
export function expandableParts(
  body: string,
  base: number,
  parseInner: (source: string) => Script,
  /** A here-string: `""` stays two quotes (about_Quoting_Rules). */
  hereString = false,
): StringPart[] {
  const parts: StringPart[] = [];
  let text = '';
  const escapes: Record<string, string> = {
    n: '\n',
    t: '\t',
    r: '\r',
    '0': '\0',
    a: '\x07',
    '`': '`',
    '"': '"',
    $: '$',
  };
  let i = 0;
  const flush = (): void => {
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
  };
  while (i < body.length) {
    const c = body[i] ?? '';
    if (c === '`' && i + 1 < body.length) {
      const e = body[i + 1] ?? '';
      text += escapes[e] ?? e;
      i += 2;
      continue;
    }
    if (c === '"' && body[i + 1] === '"' && !hereString) {
      text += '"';
      i += 2;
      continue;
    }
    if (c === '$' && body[i + 1] === '(') {
      let depth = 1;
      let j = i + 2;
      while (j < body.length && depth > 0) {
        if (body[j] === '(') depth++;
        else if (body[j] === ')') depth--;
        if (depth > 0) j++;
      }
      const innerStart = base + i + 2;
      const innerSource = ' '.repeat(innerStart) + body.slice(i + 2, j);
      const inner = parseInner(innerSource);
      flush();
      parts.push({
        kind: 'expr',
        expr: {
          kind: 'subexpression',
          statements: inner.statements,
          start: base + i,
          end: base + j + 1,
        },
      });
      i = j + 1;
      continue;
    }
    const braced = c === '$' && body[i + 1] === '{' ? body.indexOf('}', i + 2) : -1;
    if (braced > i + 2) {
      // `${env:NAME}`: a variable name in braces (about_Variables).
      flush();
      parts.push({
        kind: 'expr',
        expr: {
          kind: 'variable',
          name: body.slice(i + 2, braced),
          start: base + i,
          end: base + braced + 1,
        },
      });
      i = braced + 1;
      continue;
    }
    if (c === '$' && /[A-Za-z0-9_]/.test(body[i + 1] ?? '')) {
      let j = i + 1;
      while (j < body.length && /[A-Za-z0-9_]/.test(body[j] ?? '')) j++;
      // `$env:NAME`, `$script:count`: a drive or scope before the name (about_Scopes,
      // about_Environment_Variables).
      if (body[j] === ':' && /[A-Za-z_]/.test(body[j + 1] ?? '')) {
        j++;
        while (j < body.length && /[A-Za-z0-9_]/.test(body[j] ?? '')) j++;
      }
      flush();
      parts.push({
        kind: 'expr',
        expr: { kind: 'variable', name: body.slice(i + 1, j), start: base + i, end: base + j },
      });
      i = j;
      continue;
    }
    text += c;
    i++;
  }
  flush();
  return parts;
}
