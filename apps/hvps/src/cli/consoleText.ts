/** Splits console text into what goes to standard output and the error records for standard error. */

export interface ConsoleSegment {
  stream: 'out' | 'err';
  text: string;
}

/**
 * The console text holds each error record's `text` where it happened; this cuts it into segments,
 * in order, so that errors can go to stderr without losing their place.
 */
export function splitConsoleText(
  output: string,
  errors: readonly { text: string }[],
): ConsoleSegment[] {
  const segments: ConsoleSegment[] = [];
  let at = 0;
  const unplaced: string[] = [];
  for (const { text } of errors) {
    const index = text === '' ? -1 : output.indexOf(text, at);
    if (index < 0) {
      unplaced.push(text);
      continue;
    }
    if (index > at) segments.push({ stream: 'out', text: output.slice(at, index) });
    segments.push({ stream: 'err', text });
    at = index + text.length;
  }
  if (at < output.length) segments.push({ stream: 'out', text: output.slice(at) });
  for (const text of unplaced) if (text !== '') segments.push({ stream: 'err', text });
  return segments;
}
