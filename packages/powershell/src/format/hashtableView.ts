/**
 * The default view of hashtables and their entries (PowerShell's DotNetTypes.format.ps1xml view
 * for System.Collections.DictionaryEntry): a table with a `Name` column 30 characters wide and a
 * `Value` column taking the rest of the line, every entry of consecutive hashtables in one table.
 */
import { PsHashtable, dictionaryEntryType } from '../runtime/hashtable.js';
import { PsObject } from '../runtime/values.js';
import { cellText } from './view.js';

const NAME_WIDTH = 30;

export function isDictionaryOutput(value: unknown): boolean {
  return (
    value instanceof PsHashtable ||
    (value instanceof PsObject && value.typeName === dictionaryEntryType)
  );
}

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, Math.max(0, width - 3))}...` : text;
}

/** The Name/Value table of hashtables and DictionaryEntry objects; nothing for empty tables. */
export function dictionaryTable(values: unknown[], width: number): string {
  const rows: [unknown, unknown][] = values.flatMap((value): [unknown, unknown][] =>
    value instanceof PsHashtable
      ? value.entries()
      : value instanceof PsObject
        ? [[value.get('Key'), value.get('Value')]]
        : [],
  );
  if (rows.length === 0) return '';
  const valueWidth = Math.max(5, width - NAME_WIDTH - 2);
  const line = (name: string, value: string): string =>
    `${fit(name, NAME_WIDTH).padEnd(NAME_WIDTH)} ${fit(value, valueWidth)}`.trimEnd();
  return [
    '',
    line('Name', 'Value'),
    line('----', '-----'),
    ...rows.map(([k, v]) => line(cellText(k), cellText(v))),
    '',
    '',
  ].join('\n');
}
