/**
 * Cuts the console text into plain output, error records (red) and warning, verbose and debug
 * lines (yellow), in order, as PowerShell colours them.
 */

export interface ConsoleSegment {
  kind: 'output' | 'error' | 'warning' | 'verbose' | 'debug';
  text: string;
}

/**
 * Places each listed record, in order, at its next occurrence in `text`; what lies between stays
 * `output`. A record not found is added at the end, so nothing the server sent is lost.
 */
function placeRecords(
  text: string,
  records: readonly { kind: ConsoleSegment['kind']; text: string }[],
): { segments: ConsoleSegment[]; unplaced: ConsoleSegment[] } {
  const segments: ConsoleSegment[] = [];
  const unplaced: ConsoleSegment[] = [];
  let at = 0;
  for (const record of records) {
    const index = record.text === '' ? -1 : text.indexOf(record.text, at);
    if (index < 0) {
      if (record.text !== '') unplaced.push(record);
      continue;
    }
    if (index > at) segments.push({ kind: 'output', text: text.slice(at, index) });
    segments.push(record);
    at = index + record.text.length;
  }
  if (at < text.length) segments.push({ kind: 'output', text: text.slice(at) });
  return { segments, unplaced };
}

export function splitConsoleText(
  output: string,
  errors: readonly { text: string }[],
  messages: readonly { stream: 'warning' | 'verbose' | 'debug'; text: string }[] = [],
): ConsoleSegment[] {
  const byErrors = placeRecords(
    output,
    errors.map((e) => ({ kind: 'error' as const, text: e.text })),
  );
  // Warning lines lie between the error records: place them in the output segments, in order.
  const pending = messages.map((m) => ({ kind: m.stream, text: m.text }));
  const segments: ConsoleSegment[] = [];
  for (const segment of byErrors.segments) {
    if (segment.kind !== 'output' || pending.length === 0) {
      segments.push(segment);
      continue;
    }
    const fits = [];
    let from = 0;
    while (pending.length > 0) {
      const next = pending[0];
      const index = next ? segment.text.indexOf(next.text, from) : -1;
      if (!next || index < 0) break;
      fits.push(next);
      pending.shift();
      from = index + next.text.length;
    }
    segments.push(...placeRecords(segment.text, fits).segments);
  }
  return [...segments, ...byErrors.unplaced];
}
