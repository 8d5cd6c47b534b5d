/**
 * Export-Csv and Import-Csv (Windows PowerShell 5.1 reference pages; CsvCommands.cs for the
 * rules): the text ConvertTo-Csv writes, in a file. Export-Csv writes the `#TYPE` line of 5.1
 * unless -NoTypeInformation, in ASCII unless -Encoding says otherwise (5.1's default,
 * about_Character_Encoding); -Append adds rows under the file's own header, and an object that
 * lacks one of its columns is CsvCommandStrings.CannotAppendCsvWithMismatchedPropertyNames unless
 * -Force; -NoClobber refuses an existing file. Import-Csv reads such a file back as
 * ConvertFrom-Csv reads text: custom objects with string values (`CSV:<type>` after a #TYPE line),
 * -Header naming the columns, -Delimiter.
 */
import { PsError } from '../errors.js';
import { PsObject, customObjectType, toArray, toPsString } from '../runtime/values.js';
import { filesOf } from '../files/runFiles.js';
import { readTextFile, writeTextFile } from '../files/textFiles.js';
import { encodingOf } from '../files/textEncoding.js';
import { expandPaths } from '../files/wildcardPaths.js';
import { parseCsv, toCsvLines } from './csv.js';
import { cls, inputOf, step } from './cmdletHelpers.js';
import { encodingParam } from './fileContentCmdlets.js';
import type { CmdletDef } from './types.js';

function delimiterOf(value: unknown): string {
  const text = typeof value === 'string' && value !== '' ? value : ',';
  return text[0] ?? ',';
}

const quoted = (text: string): string => `"${text.replace(/"/g, '""')}"`;

/** One object's row under an existing header (-Append). */
function rowUnder(header: string[], item: unknown, delimiter: string): string {
  const props = item instanceof PsObject ? item : new PsObject('', {});
  return header
    .map((name) => {
      const value = props.get(name);
      if (value === null || value === undefined) return '';
      return quoted(Array.isArray(value) ? 'System.Object[]' : toPsString(value));
    })
    .join(delimiter);
}

function mismatch(column: string, path: string): PsError {
  return new PsError(
    `Cannot append CSV content to the following file: ${path}. The appended object does not have a property that corresponds to the following column: ${column}. To continue with mismatched properties, add the -Force parameter, and then retry the command.`,
    {
      category: 'InvalidData',
      errorId: 'CannotAppendCsvWithMismatchedPropertyNames',
      exceptionType: 'InvalidOperationException',
      target: column,
      targetType: 'String',
      reach: 'statement',
    },
  );
}

export const exportCsv: CmdletDef = {
  name: 'Export-Csv',
  aliases: ['epcsv'],
  className: cls('ExportCsvCommand'),
  shouldProcess: true,
  params: [
    { name: 'Path', type: 'string', position: 0 },
    { name: 'LiteralPath', type: 'string', aliases: ['PSPath', 'LP'] },
    { name: 'Delimiter', type: 'string', position: 1 },
    { name: 'NoTypeInformation', type: 'switch', aliases: ['NTI'] },
    { name: 'Append', type: 'switch' },
    { name: 'Force', type: 'switch' },
    { name: 'NoClobber', type: 'switch', aliases: ['NoOverwrite'] },
    encodingParam,
    { name: 'InputObject', type: 'any', pipelineByValue: true },
  ],
  parameterSets: [
    { name: 'Delimiter', mandatory: ['Path'] },
    { name: 'LiteralPath', mandatory: ['LiteralPath'] },
  ],
  async end(ctx, params, input) {
    const files = filesOf(ctx, 'Export-Csv');
    const path = files.resolve(toPsString(params.Path ?? params.LiteralPath), 'statement');
    if (!(await ctx.shouldProcess(path))) return;
    const items = inputOf(params, input);
    const delimiter = delimiterOf(params.Delimiter);
    const encoding = encodingOf(params.Encoding);
    const existing = params.Append === true ? await files.fs.stat(path).catch(() => null) : null;
    let lines: string[];
    if (existing && existing.length > 0) {
      const text = await readTextFile(ctx, files, path, 'statement');
      const records = parseCsv(text, delimiter, () => step(ctx));
      const header = records[0]?.[0]?.startsWith('#TYPE ') === true ? records[1] : records[0];
      if (!header) lines = toCsvLines(items, delimiter, false, () => step(ctx)).slice(1);
      else {
        if (params.Force !== true)
          for (const item of items) {
            const missing = header.find((c) => !(item instanceof PsObject && item.has(c)));
            if (missing !== undefined) throw mismatch(missing, path);
          }
        lines = items.map((item) => {
          step(ctx);
          return rowUnder(header, item, delimiter);
        });
      }
    } else lines = toCsvLines(items, delimiter, params.NoTypeInformation !== true, () => step(ctx));
    const mode =
      params.Append === true ? 'append' : params.NoClobber === true ? 'new' : 'overwrite';
    await writeTextFile(
      ctx,
      files,
      path,
      lines.map((l) => `${l}\n`).join(''),
      encoding ?? 'ASCII',
      mode,
      {
        explicitEncoding: encoding !== undefined,
      },
    );
  },
};

export const importCsv: CmdletDef = {
  name: 'Import-Csv',
  aliases: ['ipcsv'],
  className: cls('ImportCsvCommand'),
  params: [
    { name: 'Path', type: 'string[]', position: 0, pipelineByValue: true },
    { name: 'LiteralPath', type: 'string[]', aliases: ['PSPath', 'LP'] },
    { name: 'Delimiter', type: 'string', position: 1 },
    { name: 'Header', type: 'string[]' },
    encodingParam,
  ],
  parameterSets: [
    { name: 'Delimiter', mandatory: ['Path'] },
    { name: 'LiteralPath', mandatory: ['LiteralPath'] },
  ],
  async process(ctx, params) {
    const files = filesOf(ctx, 'Import-Csv');
    const literal = params.LiteralPath !== undefined;
    for (const given of toArray(params.Path ?? params.LiteralPath).map(toPsString)) {
      let text: string;
      try {
        const paths = literal ? [files.resolve(given)] : await expandPaths(files, given, true);
        text = '';
        for (const path of paths) text += await readTextFile(ctx, files, path);
      } catch (error) {
        if (!(error instanceof PsError)) throw error;
        ctx.writeError(error);
        continue;
      }
      const records = parseCsv(text, delimiterOf(params.Delimiter), () => step(ctx));
      let typeName = customObjectType;
      const typeLine = records[0]?.[0];
      if (records[0]?.length === 1 && typeLine?.startsWith('#TYPE ') === true) {
        typeName = `CSV:${typeLine.slice('#TYPE '.length).trim()}`;
        records.shift();
      }
      const header =
        params.Header === undefined ? records.shift() : toArray(params.Header).map(toPsString);
      if (!header) continue;
      for (const record of records) {
        const props: Record<string, unknown> = {};
        header.forEach((name, i) => {
          props[name] = record[i] ?? null;
        });
        ctx.write(new PsObject(typeName, props));
      }
    }
  },
};

export const fileCsvCmdlets: CmdletDef[] = [exportCsv, importCsv];
