/**
 * Tee-Object (Microsoft.PowerShell.Utility reference page, Windows PowerShell 5.1): passes its
 * input on and also keeps it in a variable (-Variable; one object as itself, several as an
 * array). -FilePath/-LiteralPath would write a file: the engine's Host offers no file writing
 * yet, so they are refused with a record of this product's own (not a PowerShell message).
 */
import { PsError } from '../errors.js';
import { toPsString, unwrap } from '../runtime/values.js';
import { cls, inputOf, step } from './cmdletHelpers.js';
import type { CmdletDef } from './types.js';

export function fileOutputNotAvailable(cmdlet: string): PsError {
  return new PsError(
    `${cmdlet} cannot write files in this console: the host offers no file output (a limit of this server, not a PowerShell error).`,
    {
      category: 'NotImplemented',
      errorId: 'FileOutputNotAvailable',
      exceptionType: 'NotSupportedException',
      reach: 'statement',
    },
  );
}

export const teeObject: CmdletDef = {
  name: 'Tee-Object',
  aliases: ['tee'],
  className: cls('TeeObjectCommand'),
  params: [
    { name: 'FilePath', type: 'string', position: 0, aliases: ['Path'] },
    { name: 'LiteralPath', type: 'string', aliases: ['PSPath'] },
    { name: 'Variable', type: 'string' },
    { name: 'Append', type: 'switch' },
    { name: 'InputObject', type: 'any', pipelineByValue: true },
  ],
  parameterSets: [
    { name: 'File', mandatory: ['FilePath'], members: ['Append'] },
    { name: 'LiteralFile', mandatory: ['LiteralPath'] },
    { name: 'Variable', mandatory: ['Variable'] },
  ],
  end(ctx, params, input) {
    if (params.FilePath !== undefined || params.LiteralPath !== undefined)
      throw fileOutputNotAvailable('Tee-Object');
    const items = inputOf(params, input);
    if (typeof params.Variable === 'string')
      ctx.variables?.set(toPsString(params.Variable).replace(/^\$/, ''), unwrap(items));
    for (const item of items) {
      step(ctx);
      ctx.write(item);
    }
    return Promise.resolve();
  },
};

/**
 * Out-File and Export-Csv exist so that a script using them hears why nothing was written,
 * rather than that the command is unknown; they write nothing (see fileOutputNotAvailable).
 */
export const outFile: CmdletDef = {
  name: 'Out-File',
  className: cls('OutFileCommand'),
  params: [
    { name: 'FilePath', type: 'string', position: 0, aliases: ['Path'] },
    { name: 'Encoding', type: 'string', position: 1 },
    { name: 'Append', type: 'switch' },
    { name: 'Width', type: 'int', netType: 'System.Int32' },
    { name: 'InputObject', type: 'any', pipelineByValue: true },
  ],
  parameterSets: [{ name: 'ByPath', mandatory: ['FilePath'] }],
  end() {
    throw fileOutputNotAvailable('Out-File');
  },
};

export const exportCsv: CmdletDef = {
  name: 'Export-Csv',
  aliases: ['epcsv'],
  className: cls('ExportCsvCommand'),
  params: [
    { name: 'Path', type: 'string', position: 0 },
    { name: 'Delimiter', type: 'string', position: 1 },
    { name: 'NoTypeInformation', type: 'switch', aliases: ['NTI'] },
    { name: 'Append', type: 'switch' },
    { name: 'InputObject', type: 'any', pipelineByValue: true },
  ],
  parameterSets: [{ name: 'Delimiter', mandatory: ['Path'] }],
  end() {
    throw fileOutputNotAvailable('Export-Csv');
  },
};
