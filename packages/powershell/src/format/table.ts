/** PowerShell's table layout: header, a dashes line under each header, one row per object. */
export interface Column {
  label: string;
  align: 'left' | 'right';
}

/** Renders rows of cell texts. Columns that do not fit in `width` are dropped, as PowerShell does. */
export function renderTable(columns: Column[], rows: string[][], width: number): string {
  const widths = columns.map((c, i) =>
    Math.max(c.label.length, ...rows.map((r) => (r[i] ?? '').length)),
  );
  let used = 0;
  let count = 0;
  for (const w of widths) {
    const need = (count === 0 ? 0 : 1) + w;
    if (count > 0 && used + need > width) break;
    used += need;
    count++;
  }
  const shown = columns.slice(0, Math.max(1, count));
  const cell = (text: string, i: number, last: boolean): string => {
    const w = widths[i] ?? text.length;
    let t = text;
    if (last && t.length > width - (used - w))
      t = t.slice(0, Math.max(0, width - (used - w) - 3)) + '...';
    if (shown[i]?.align === 'right') return t.padStart(w);
    return last ? t : t.padEnd(w);
  };
  const line = (cells: string[]): string =>
    cells
      .slice(0, shown.length)
      .map((t, i) => cell(t, i, i === shown.length - 1))
      .join(' ')
      .trimEnd();
  const header = line(shown.map((c) => c.label));
  const dashes = line(
    shown.map((c, i) =>
      c.align === 'right'
        ? '-'.repeat(c.label.length).padStart(widths[i] ?? 0)
        : '-'.repeat(c.label.length),
    ),
  );
  return ['', header, dashes, ...rows.map(line), '', ''].join('\n');
}
