/**
 * Tee-Object (Microsoft.PowerShell.Utility reference page, Windows PowerShell 5.1): passes its
 * input on and also keeps it in a variable (-Variable; one object as itself, several as an
 * array) or writes it to a file (-FilePath/-LiteralPath, -Append) as Out-File would: the
 * console's text of the objects, in Unicode (UTF-16LE), 5.1's Out-File default.
 */
import { toPsString, unwrap } from '../runtime/values.js';
import { filesOf } from '../files/runFiles.js';
import { cls, inputOf, step } from './cmdletHelpers.js';
import { outFileWrite } from './fileContentCmdlets.js';
import type { CmdletDef } from './types.js';

export { outFile } from './fileContentCmdlets.js';
export { exportCsv } from './fileCsvCmdlets.js';

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
  async end(ctx, params, input) {
    const items = inputOf(params, input);
    const file = params.FilePath ?? params.LiteralPath;
    if (file !== undefined) {
      const files = filesOf(ctx, 'Tee-Object');
      const path = files.resolve(toPsString(file), 'statement');
      await outFileWrite(ctx, files, path, items, {
        append: params.Append === true,
        noClobber: false,
        width: ctx.width,
        noNewline: false,
      });
    }
    if (typeof params.Variable === 'string')
      ctx.variables?.set(toPsString(params.Variable).replace(/^\$/, ''), unwrap(items));
    for (const item of items) {
      step(ctx);
      ctx.write(item);
    }
  },
};
