/** Tab completion on the command line: the word under the cursor and how candidates replace it. */

/** Characters that end a word for completion, as the server's completion splits the line. */
const separators = /[\s|;{}()]/;

/** Start of the word that ends at `cursor`. */
export function wordStart(line: string, cursor: number): number {
  let start = Math.max(0, Math.min(cursor, line.length));
  while (start > 0 && !separators.test(line[start - 1] ?? ' ')) start--;
  return start;
}

/** The longest prefix all candidates share, compared without case, spelled as the first one. */
export function commonPrefix(candidates: readonly string[]): string {
  const [first = '', ...rest] = candidates;
  let length = first.length;
  for (const candidate of rest) {
    let i = 0;
    while (
      i < length &&
      i < candidate.length &&
      first[i]?.toLowerCase() === candidate[i]?.toLowerCase()
    )
      i++;
    length = i;
  }
  return first.slice(0, length);
}

export interface Completed {
  line: string;
  cursor: number;
}

/**
 * The line after Tab: one candidate replaces the word; several replace it with their common prefix
 * when that is longer than the word. Null when there is nothing to change.
 */
export function applyCompletion(
  line: string,
  cursor: number,
  candidates: readonly string[],
): Completed | null {
  if (candidates.length === 0) return null;
  const start = wordStart(line, cursor);
  const word = line.slice(start, cursor);
  const replacement = candidates.length === 1 ? (candidates[0] ?? word) : commonPrefix(candidates);
  if (replacement.length < word.length || replacement === word) return null;
  return {
    line: line.slice(0, start) + replacement + line.slice(cursor),
    cursor: start + replacement.length,
  };
}
