/** Cuts the console text into plain output and error records, in order, to show errors in red. */

export interface ConsoleSegment {
  kind: 'output' | 'error';
  text: string;
}

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
    if (index > at) segments.push({ kind: 'output', text: output.slice(at, index) });
    segments.push({ kind: 'error', text });
    at = index + text.length;
  }
  if (at < output.length) segments.push({ kind: 'output', text: output.slice(at) });
  for (const text of unplaced) if (text !== '') segments.push({ kind: 'error', text });
  return segments;
}
