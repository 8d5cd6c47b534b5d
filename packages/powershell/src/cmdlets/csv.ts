/**
 * ConvertTo-Csv and ConvertFrom-Csv (Microsoft.PowerShell.Utility reference pages, Windows
 * PowerShell 5.1; CsvCommands.cs for the rules). ConvertTo-Csv writes the `#TYPE <type name>` line
 * first unless -NoTypeInformation (5.1's default), then the first object's property names and one
 * line per object, every field in double quotes (inner quotes doubled) and a $null value as an
 * empty field; -Delimiter changes the comma. ConvertFrom-Csv reads such text back as custom
 * objects whose values are strings, its type named `CSV:<type>` after a #TYPE line; -Header names
 * the columns. Each row is a step of the run's budget.
 */
import { PsObject, customObjectType, toArray, toPsString } from '../runtime/values.js';
import { cls, inputOf } from './cmdletHelpers.js';
import { netTypeName } from './memberTypes.js';
import type { CmdletContext, CmdletDef } from './types.js';

function delimiterOf(value: unknown): string {
  const text = typeof value === 'string' && value !== '' ? value : ',';
  return text[0] ?? ',';
}

/** The properties CSV writes for a value: an object's own, a string's Length. */
function propertiesOf(value: unknown): Record<string, unknown> {
  if (value instanceof PsObject) return value.props;
  if (typeof value === 'string') return { Length: value.length };
  return {};
}

/** A field as .NET's ToString() gives it: an array is its type name. */
function fieldText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return 'System.Object[]';
  return toPsString(value);
}

const quoted = (text: string): string => `"${text.replace(/"/g, '""')}"`;

export function toCsvLines(
  items: unknown[],
  delimiter: string,
  typeInformation: boolean,
  step: () => void = () => undefined,
): string[] {
  const first = items[0];
  if (first === undefined) return [];
  const names = Object.keys(propertiesOf(first));
  const lines: string[] = [];
  if (typeInformation) lines.push(`#TYPE ${netTypeName(first).replace(/^CSV:/i, '')}`);
  lines.push(names.map(quoted).join(delimiter));
  for (const item of items) {
    step();
    const props = item instanceof PsObject ? item : new PsObject('', propertiesOf(item));
    lines.push(
      names
        .map((n) => {
          const text = fieldText(props.get(n));
          return text === null ? '' : quoted(text);
        })
        .join(delimiter),
    );
  }
  return lines;
}

/** Splits CSV text into records of fields (quoted fields may hold delimiters, quotes, new lines). */
export function parseCsv(text: string, delimiter: string, step: () => void): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let inQuotes = false;
  let fieldStarted = false;
  const endField = (): void => {
    record.push(field);
    field = '';
    fieldStarted = false;
  };
  const endRecord = (): void => {
    step();
    endField();
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    record = [];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (inQuotes) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') inQuotes = false;
      else field += c;
    } else if (c === '"' && !fieldStarted) {
      inQuotes = true;
      fieldStarted = true;
    } else if (c === delimiter) endField();
    else if (c === '\n') endRecord();
    else if (c !== '\r') {
      field += c;
      fieldStarted = true;
    }
  }
  if (field !== '' || record.length > 0) endRecord();
  return records;
}

function stepOf(ctx: CmdletContext): () => void {
  const budget = ctx.variables?.budget;
  return () => budget?.step();
}

const convertToCsv: CmdletDef = {
  name: 'ConvertTo-Csv',
  className: cls('ConvertToCsvCommand'),
  params: [
    { name: 'InputObject', type: 'any', position: 0, pipelineByValue: true },
    { name: 'Delimiter', type: 'string', position: 1 },
    { name: 'NoTypeInformation', type: 'switch', aliases: ['NTI'] },
  ],
  end(ctx, params, input) {
    const lines = toCsvLines(
      inputOf(params, input),
      delimiterOf(params.Delimiter),
      params.NoTypeInformation !== true,
      stepOf(ctx),
    );
    for (const line of lines) ctx.write(line);
    return Promise.resolve();
  },
};

const convertFromCsv: CmdletDef = {
  name: 'ConvertFrom-Csv',
  className: cls('ConvertFromCsvCommand'),
  params: [
    { name: 'InputObject', type: 'any', position: 0, pipelineByValue: true },
    { name: 'Delimiter', type: 'string', position: 1 },
    { name: 'Header', type: 'string[]' },
  ],
  end(ctx, params, input) {
    const text = inputOf(params, input).map(toPsString).join('\n');
    const records = parseCsv(text, delimiterOf(params.Delimiter), stepOf(ctx));
    let typeName = customObjectType;
    const typeLine = records[0]?.[0];
    if (records[0]?.length === 1 && typeLine?.startsWith('#TYPE ') === true) {
      typeName = `CSV:${typeLine.slice('#TYPE '.length).trim()}`;
      records.shift();
    }
    const header =
      params.Header === undefined ? records.shift() : toArray(params.Header).map(toPsString);
    if (!header) return Promise.resolve();
    for (const record of records) {
      const props: Record<string, unknown> = {};
      header.forEach((name, i) => {
        props[name] = record[i] ?? null;
      });
      ctx.write(new PsObject(typeName, props));
    }
    return Promise.resolve();
  },
};

export const csvCmdlets: CmdletDef[] = [convertToCsv, convertFromCsv];
