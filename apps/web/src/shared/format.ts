/** Hyper-V Manager's Uptime column: `hh:mm:ss`, with days in front (`d.hh:mm:ss`) past 24 hours. */
export function formatUptime(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  const clock = `${pad(h)}:${pad(m)}:${pad(s)}`;
  return days > 0 ? `${days}.${clock}` : clock;
}

/**
 * One formatter for every creation time: `toLocaleString` with options builds a new
 * `Intl.DateTimeFormat` on each call (about a millisecond and a half here), which a 50-checkpoint
 * tree paid 50 times on the click that shows it.
 */
const dateTimeFormat = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
});

/** `M/D/YYYY h:mm:ss AM`, the way the console shows creation times. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateTimeFormat.format(date).replace(',', '');
}

/**
 * Sizes the way Windows Explorer writes them: three significant digits, truncated, binary units
 * ("4.00 MB", "12.5 MB", "127 GB", "1.25 TB").
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const decimals = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  const factor = 10 ** decimals;
  const truncated = Math.floor(value * factor + 1e-9) / factor;
  return `${truncated.toFixed(decimals)} ${units[unit] ?? 'TB'}`;
}
