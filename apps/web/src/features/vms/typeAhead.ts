import type { VmSummary } from '@hvm/engine';

/**
 * Keys typed within this time of each other make one search text, as in a Windows list view's
 * incremental search (LVM_GETISEARCHSTRING in the list-view control documentation), which starts
 * afresh after a pause; the length of the pause here is ours, not a documented figure.
 */
export const TYPE_AHEAD_PAUSE_MS = 1000;

export interface TypeAheadState {
  text: string;
  at: number;
}

/**
 * Type-ahead in the Virtual Machines list: the row whose name starts with what was typed. Typing
 * the same letter again moves on to the next name with that first letter, as Windows lists do.
 * Returns the index to select (or -1) and the new search text.
 */
export function typeAhead(
  rows: readonly VmSummary[],
  currentIndex: number,
  state: TypeAheadState,
  key: string,
  now: number,
): { index: number; state: TypeAheadState } {
  const fresh = now - state.at > TYPE_AHEAD_PAUSE_MS;
  const text = (fresh ? '' : state.text) + key.toLowerCase();
  const next = { text, at: now };
  const sameLetter = [...text].every((c) => c === text[0]);
  // One letter (or the same letter again): start after the current row, to step through names.
  const prefix = sameLetter ? (text[0] ?? '') : text;
  const start = sameLetter ? currentIndex + 1 : Math.max(0, currentIndex);
  for (let i = 0; i < rows.length; i++) {
    const index = (start + i) % rows.length;
    if (rows[index]?.name.toLowerCase().startsWith(prefix)) return { index, state: next };
  }
  return { index: -1, state: next };
}

/** A key that types a character (no Ctrl, Alt or Meta). */
export function isTypingKey(e: React.KeyboardEvent): boolean {
  return e.key.length === 1 && !e.ctrlKey && !e.altKey && !e.metaKey;
}
