/** PowerShell's table layout: header, a dashes line under each header, one row per object. */
export interface Column {
  label: string;
  align: 'left' | 'right';
  /** A view's fixed width (GroupInfo's Count is 5 wide, Name 25); content-sized otherwise. */
  width?: number;
}

/** Text in lines of at most `width` characters, broken at spaces where it can be (Format-Table -Wrap). */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    let rest = word;
    while (rest.length > width) {
      if (line !== '') lines.push(line);
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
      line = '';
    }
    if (line === '') line = rest;
    else if (line.length + 1 + rest.length <= width) line = `${line} ${rest}`;
    else {
      lines.push(line);
      line = rest;
    }
  }
  lines.push(line);
  return lines;
}

/**
 * Renders rows of cell texts, each column as wide as its widest cell. When the table is wider than
 * `width`, the last column that still has room for its header is cut with "...", and the columns
 * after it are dropped, as PowerShell does.
 */
export function renderTable(
  columns: Column[],
  rows: string[][],
  width: number,
  /** Format-Table -Wrap: a cell wider than its column goes on over more lines instead of "...". */
  wrap = false,
): string {
  const widths = columns.map((c) => c.width ?? c.label.length);
  columns.forEach((c, i) => {
    if (c.width !== undefined) return;
    let w = widths[i] ?? 0;
    for (const r of rows) w = Math.max(w, (r[i] ?? '').length);
    widths[i] = w;
  });
  const shownWidths: number[] = [];
  let used = 0;
  for (const [i, w] of widths.entries()) {
    const gap = i === 0 ? 0 : 1;
    const room = width - used - gap;
    const label = columns[i]?.label.length ?? 0;
    if (i > 0 && room < label) break;
    shownWidths.push(Math.min(w, Math.max(room, label)));
    used += gap + (shownWidths[i] ?? 0);
    if (w > room) break;
  }
  const shown = columns.slice(0, shownWidths.length);
  /** The cell's text, cut with "..." when wider than its column. */
  const cutCell = (text: string, i: number): string => {
    const w = shownWidths[i] ?? text.length;
    return text.length > w ? `${text.slice(0, Math.max(0, w - 3))}...` : text;
  };
  const cell = (text: string, i: number): string => {
    const w = shownWidths[i] ?? text.length;
    const t = cutCell(text, i);
    if (shown[i]?.align === 'right') return t.padStart(w);
    return t.padEnd(w);
  };
  const last = shown.length - 1;
  const line = (cells: string[]): string => {
    let text = '';
    for (let i = 0; i <= last; i++) {
      const content = cells[i] ?? '';
      // The line's end is trimmed: the last column is not padded to be trimmed again.
      const cut =
        i === last && shown[i]?.align !== 'right' ? cutCell(content, i) : cell(content, i);
      text = i === 0 ? cut : `${text} ${cut}`;
    }
    return text.trimEnd();
  };
  const header = line(shown.map((c) => c.label));
  const dashes = line(
    shown.map((c, i) =>
      c.align === 'right'
        ? '-'.repeat(c.label.length).padStart(shownWidths[i] ?? 0)
        : '-'.repeat(c.label.length),
    ),
  );
  /** A row as several lines, each cell cut into pieces of its column's width. */
  const wrapped = (cells: string[]): string[] => {
    const pieces = shown.map((_, i) => {
      const text = cells[i] ?? '';
      const w = Math.max(1, shownWidths[i] ?? text.length);
      return wrapText(text, w);
    });
    const count = pieces.reduce((n, p) => Math.max(n, p.length), 1);
    return Array.from({ length: count }, (_, k) => line(pieces.map((p) => p[k] ?? '')));
  };
  let text = `\n${header}\n${dashes}`;
  if (wrap) for (const row of rows) for (const piece of wrapped(row)) text += `\n${piece}`;
  else for (const row of rows) text += `\n${line(row)}`;
  return `${text}\n\n`;
}
