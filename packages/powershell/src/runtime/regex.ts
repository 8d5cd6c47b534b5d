/**
 * Regular expressions for `-match`, `-notmatch` and the `-like` wildcards, through re2js (a
 * JavaScript port of RE2): matching takes time linear in the input, so no pattern can hang a run
 * the way `'aaa…a!' -match '(a+)+$'` does with a backtracking engine. RE2 has no lookaround and no
 * backreferences; a pattern using them is refused with a clear error instead of running on a
 * backtracking engine (see the package README).
 *
 * .NET semantics kept: matching is case-insensitive unless the operator says otherwise (`-cmatch`,
 * about_Comparison_Operators), and a successful scalar `-match` fills `$Matches` with the whole
 * match under key 0, numbered groups and named groups that took part (about_Automatic_Variables,
 * $Matches).
 */
import { RE2JS } from 're2js';
import { PsError } from '../errors.js';
import { newHashtable } from './hashtable.js';
import type { PsHashtable } from './hashtable.js';

export interface RegexMatch {
  /** `$Matches`: key 0 the whole match, then the numbered and named groups that matched. */
  groups: Map<string, string>;
}

export class PsRegex {
  private constructor(private readonly compiled: RE2JS) {}

  /**
   * Compiles a .NET-style pattern. Throws PowerShell's InvalidRegularExpression record for a pattern
   * no engine accepts, and this product's own record for one only a backtracking engine accepts.
   */
  static compile(pattern: string, caseSensitive: boolean): PsRegex {
    try {
      return new PsRegex(RE2JS.compile(pattern, caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE));
    } catch (re2Error) {
      if (!isValidJavaScriptRegex(pattern)) throw invalidPattern(pattern);
      const detail = re2Error instanceof Error ? re2Error.message : String(re2Error);
      throw new PsError(
        `The regular expression pattern ${pattern} uses lookahead, lookbehind or a backreference, which this server does not run so that no pattern can stall it (${detail}).`,
        {
          category: 'InvalidOperation',
          errorId: 'UnsupportedRegularExpression',
          exceptionType: 'RuntimeException',
          target: pattern,
          targetType: 'String',
          reach: 'statement',
        },
      );
    }
  }

  test(input: string): boolean {
    return this.compiled.matcher(input).find();
  }

  /** The first match with its groups, or null. */
  match(input: string): RegexMatch | null {
    const matcher = this.compiled.matcher(input);
    if (!matcher.find()) return null;
    const groups = new Map<string, string>();
    const named = matcher.getNamedGroups();
    const namedIndexes = new Set<number>(Object.values(matcher.namedGroups));
    for (const name of Object.keys(named)) {
      const value = named[name];
      if (value !== null && value !== undefined) groups.set(name, value);
    }
    // .NET numbers the unnamed groups first, left to right, and the named ones after them: in
    // '(?<role>\w+)-(\d+)', $Matches[1] is the digits (Grouping Constructs, learn.microsoft.com).
    const unnamed = [0];
    for (let i = 1; i <= matcher.groupCount(); i++) if (!namedIndexes.has(i)) unnamed.push(i);
    for (let n = unnamed.length - 1; n >= 0; n--) {
      const value = matcher.group(unnamed[n] ?? 0);
      if (value !== null) groups.set(String(n), value);
    }
    return { groups };
  }

  /**
   * `-replace`: every match replaced, with .NET's substitutions (Substitutions in Regular
   * Expressions, learn.microsoft.com): `$1`, `${1}`, `${name}`, `$0` and `$&` (the match), `` $` ``
   * (before it), `$'` (after it), `$_` (the whole input), `$$` (a `$`). Throws `tooLong` past
   * `maxLength` characters, while building.
   */
  replace(input: string, replacement: string, maxLength: number, tooLong: () => Error): string {
    const matcher = this.compiled.matcher(input);
    const named = matcher.namedGroups;
    let out = '';
    let last = 0;
    while (matcher.find()) {
      const start = matcher.start();
      const end = matcher.end();
      out += input.slice(last, start);
      out += substitute(replacement, {
        group: (ref) => {
          const index = /^\d+$/.test(ref) ? Number(ref) : named[ref];
          if (index === undefined || index > matcher.groupCount()) return null;
          return matcher.group(index) ?? '';
        },
        before: input.slice(0, start),
        after: input.slice(end),
        input,
      });
      if (out.length > maxLength) throw tooLong();
      last = end;
    }
    return out + input.slice(last);
  }

  /**
   * `-split`: the pieces between matches (empty ones at either end kept), with the text of capturing groups kept between them
   * (about_Split); `max` > 0 gives at most that many pieces, the last one the rest of the input.
   * Throws `tooMany(count)` as soon as `pieces` (the pieces of earlier inputs, added to) would
   * hold more than `maxPieces`: a 10-million-character string split on every character must not
   * build its ten million pieces before the limit is checked (one such array, a few times over,
   * aborts the process in V8 instead of ending the worker).
   */
  split(
    input: string,
    max: number,
    maxPieces = Number.POSITIVE_INFINITY,
    tooMany: (count: number) => Error = () => new RangeError('Too many pieces.'),
    pieces: string[] = [],
  ): string[] {
    const add = (piece: string): void => {
      pieces.push(piece);
      if (pieces.length > maxPieces) throw tooMany(pieces.length);
    };
    const matcher = this.compiled.matcher(input);
    const first = pieces.length;
    let last = 0;
    while ((max <= 0 || pieces.length - first < max - 1) && matcher.find()) {
      const start = matcher.start();
      const end = matcher.end();
      // As .NET's Regex.Split: an empty match at the start or the end gives an empty first or
      // last piece ('ab' -split '' is '', 'a', 'b', '').
      add(input.slice(last, start));
      for (let i = 1; i <= matcher.groupCount(); i++) {
        const group = matcher.group(i);
        if (group !== null) add(group);
      }
      last = end;
    }
    add(input.slice(last));
    return pieces;
  }
}

interface SubstitutionSource {
  group(ref: string): string | null;
  before: string;
  after: string;
  input: string;
}

/** Expands .NET substitutions in a replacement; an unknown group reference stays as typed. */
function substitute(replacement: string, source: SubstitutionSource): string {
  return replacement.replace(
    /\$(?:\$|&|`|'|_|\{(\w+)\}|(\d+))/g,
    (token, braced: string | undefined, digits: string | undefined) => {
      if (token === '$$') return '$';
      if (token === '$&') return source.group('0') ?? '';
      if (token === '$`') return source.before;
      if (token === "$'") return source.after;
      if (token === '$_') return source.input;
      const value = source.group(braced ?? digits ?? '');
      return value ?? token;
    },
  );
}

/** `$Matches`, a hashtable: `$Matches[0]` (numbered groups have number keys), `$Matches.name`. */
export function matchesVariable(match: RegexMatch): PsHashtable {
  return newHashtable(
    [...match.groups].map(([key, value]): [unknown, unknown] => [
      /^\d+$/.test(key) ? Number(key) : key,
      value,
    ]),
  );
}

function isValidJavaScriptRegex(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    try {
      new RegExp(pattern);
      return true;
    } catch {
      return false;
    }
  }
}

/** PowerShell's message for a pattern .NET cannot parse (RuntimeException, InvalidRegularExpression). */
function invalidPattern(pattern: string): PsError {
  return new PsError(`The regular expression pattern ${pattern} is not valid.`, {
    category: 'InvalidOperation',
    errorId: 'InvalidRegularExpression',
    exceptionType: 'RuntimeException',
    target: pattern,
    targetType: 'String',
    reach: 'statement',
  });
}

/** A compiled `-like` wildcard pattern. */
export interface WildcardMatcher {
  test(input: string): boolean;
}

/**
 * `*`, `?` and `[abc]`, case-insensitive unless asked, anchored; a backtick escapes the next
 * character (about_Wildcards). Runs on RE2 too: `*a*a*a*b` over a long string would otherwise
 * backtrack polynomially.
 */
export function wildcardMatcher(pattern: string, caseSensitive = false): WildcardMatcher {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] ?? '';
    if (c === '`' && i + 1 < pattern.length) {
      re += RE2JS.quote(pattern[++i] ?? '');
    } else if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      const body = close === -1 ? '' : pattern.slice(i + 1, close);
      if (close === -1 || body === '') re += '\\[';
      else {
        re += `[${body.replace(/[\\^[\]]/g, '\\$&')}]`;
        i = close;
      }
    } else re += RE2JS.quote(c);
  }
  const flags = RE2JS.DOTALL | (caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE);
  const compiled = RE2JS.compile(`^(?:${re})$`, flags);
  return { test: (input) => compiled.matches(input) };
}
