/**
 * Redirection operators (about_Redirection): `>`, `>>`, `n>`, `n>>`, `*>`, `*>>` and the merges
 * `n>&1`, `*>&1`, as the tokenizer gives them (one bareword, the file name glued to it or not).
 */
import type { RedirectionNode } from './ast.js';

export interface RedirectionOperator {
  stream: RedirectionNode['stream'];
  merge: boolean;
  append: boolean;
  /** A file name glued to the operator (`>out.txt`, `2>$null`), or null. */
  target: string | null;
}

const pattern = /^([1-6*]?)(>>?)(&1)?(.*)$/;

export function redirectionOperator(word: string): RedirectionOperator | null {
  const match = pattern.exec(word);
  if (!match) return null;
  const [, from = '', arrows = '>', merge, rest = ''] = match;
  if (merge && (arrows === '>>' || rest !== '')) return null;
  return {
    stream: from === '*' ? '*' : from === '' ? 1 : (Number(from) as 1 | 2 | 3 | 4 | 5 | 6),
    merge: merge !== undefined,
    append: arrows === '>>',
    target: rest === '' ? null : rest,
  };
}

/** The stream's name in ParserStrings (`The error stream for this command is already redirected.`). */
export function streamName(stream: RedirectionNode['stream']): string {
  const names = [
    '* stream',
    'output stream',
    'error stream',
    'warning stream',
    'verbose stream',
    'debug stream',
    'information stream',
  ];
  return names[stream === '*' ? 0 : stream] ?? 'output stream';
}
