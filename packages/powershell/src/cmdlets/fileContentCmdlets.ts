/**
 * The cmdlets that write and read text files through the run's file system (files/): Out-File,
 * Set-Content, Add-Content and Get-Content, with the parameter sets of their Windows PowerShell
 * 5.1 reference pages (Microsoft.PowerShell.Utility / Microsoft.PowerShell.Management). Default
 * encodings are 5.1's (about_Character_Encoding): Out-File Unicode (UTF-16LE), Set-Content and
 * Add-Content Default (ANSI). Out-File's open failures end the statement (PathUtils.cs
 * ThrowTerminatingError); Get-Content's missing paths are non-terminating, one per path.
 */
import { PsError } from '../errors.js';
import { toArray, toPsString } from '../runtime/values.js';
import { filesOf } from '../files/runFiles.js';
import type { RunFiles } from '../files/runFiles.js';
import type { EncodingName } from '../files/textEncoding.js';
import { encodingNames, encodingOf, textLines } from '../files/textEncoding.js';
import { outFileText, readTextFile, writeTextFile } from '../files/textFiles.js';
import { expandPaths } from '../files/wildcardPaths.js';
import { cls, inputOf, step } from './cmdletHelpers.js';
import type { Bound, CmdletContext, CmdletDef, ParamDef } from './types.js';

export const encodingParam: ParamDef = {
  name: 'Encoding',
  type: 'enum',
  enumValues: encodingNames,
  enumType: 'Microsoft.PowerShell.Commands.FileSystemCmdletProviderEncoding',
};

export function encodingParamOf(params: Bound, fallback: EncodingName): EncodingName {
  return encodingOf(params.Encoding) ?? fallback;
}

/** One write target (-FilePath / -Path / -LiteralPath), resolved against the location. */
function targetPath(files: RunFiles, params: Bound, name: string): string {
  const value = params[name] ?? params.LiteralPath;
  return files.resolve(toPsString(Array.isArray(value) ? value[0] : value), 'statement');
}

/**
 * Out-File (and `>`/`>>`, which are Out-File: about_Redirection): the console's text of its input,
 * at -Width or the console's width.
 */
export async function outFileWrite(
  ctx: CmdletContext,
  files: RunFiles,
  path: string,
  items: unknown[],
  options: {
    append: boolean;
    noClobber: boolean;
    width: number;
    noNewline: boolean;
    encoding?: EncodingName;
  },
): Promise<void> {
  const text = outFileText(items, options.width, options.noNewline);
  const mode = options.append ? 'append' : options.noClobber ? 'new' : 'overwrite';
  await writeTextFile(ctx, files, path, text, options.encoding ?? 'Unicode', mode, {
    explicitEncoding: options.encoding !== undefined,
  });
}

export const outFile: CmdletDef = {
  name: 'Out-File',
  className: cls('OutFileCommand'),
  shouldProcess: true,
  params: [
    { name: 'FilePath', type: 'string', position: 0, aliases: ['Path'] },
    { name: 'LiteralPath', type: 'string', aliases: ['PSPath', 'LP'] },
    { ...encodingParam, position: 1 },
    { name: 'Append', type: 'switch' },
    { name: 'Force', type: 'switch' },
    { name: 'NoClobber', type: 'switch', aliases: ['NoOverwrite'] },
    { name: 'Width', type: 'int', netType: 'System.Int32' },
    { name: 'NoNewline', type: 'switch' },
    { name: 'InputObject', type: 'any', pipelineByValue: true },
  ],
  parameterSets: [
    { name: 'ByPath', mandatory: ['FilePath'] },
    { name: 'ByLiteralPath', mandatory: ['LiteralPath'] },
  ],
  async end(ctx, params, input) {
    const files = filesOf(ctx, 'Out-File');
    const path = targetPath(files, params, 'FilePath');
    if (!(await ctx.shouldProcess(path))) return;
    const width = typeof params.Width === 'number' ? Math.max(2, params.Width) : ctx.width;
    const encoding = encodingOf(params.Encoding);
    await outFileWrite(ctx, files, path, inputOf(params, input), {
      append: params.Append === true,
      noClobber: params.NoClobber === true,
      width,
      noNewline: params.NoNewline === true,
      ...(encoding ? { encoding } : {}),
    });
  },
};

/** Set-Content / Add-Content: each value's text on a line of its own (-NoNewline: joined). */
function contentCmdlet(name: 'Set-Content' | 'Add-Content', aliases: string[]): CmdletDef {
  return {
    name,
    aliases,
    className: cls(name === 'Set-Content' ? 'SetContentCommand' : 'AddContentCommand'),
    shouldProcess: true,
    params: [
      { name: 'Path', type: 'string[]', position: 0 },
      { name: 'LiteralPath', type: 'string[]', aliases: ['PSPath', 'LP'] },
      { name: 'Value', type: 'any[]', position: 1, pipelineByValue: true },
      encodingParam,
      { name: 'NoNewline', type: 'switch' },
      { name: 'Force', type: 'switch' },
      { name: 'PassThru', type: 'switch' },
    ],
    parameterSets: [
      { name: 'Path', mandatory: ['Path'] },
      { name: 'LiteralPath', mandatory: ['LiteralPath'] },
    ],
    async end(ctx, params, input) {
      const files = filesOf(ctx, name);
      const values = input.length > 0 ? input : toArray(params.Value);
      const texts = values.map((v) => {
        step(ctx);
        return toPsString(v);
      });
      const text = params.NoNewline === true ? texts.join('') : texts.map((t) => `${t}\n`).join('');
      const encoding = encodingOf(params.Encoding);
      const literal = params.LiteralPath !== undefined;
      for (const given of toArray(params.Path ?? params.LiteralPath).map(toPsString)) {
        let paths: string[];
        try {
          // Set-Content writes the files a wildcard matches, or the one path it names.
          paths = literal ? [files.resolve(given)] : await expandPaths(files, given, true);
        } catch (error) {
          ctx.writeError(files.recordOf(error));
          continue;
        }
        for (const path of paths) {
          if (!(await ctx.shouldProcess(path))) continue;
          try {
            await writeTextFile(
              ctx,
              files,
              path,
              text,
              encoding ?? 'Default',
              name === 'Set-Content' ? 'overwrite' : 'append',
              {
                explicitEncoding: encoding !== undefined,
                reach: 'non-terminating',
              },
            );
          } catch (error) {
            if (!(error instanceof PsError)) throw error;
            ctx.writeError(error);
            continue;
          }
          if (params.PassThru === true) for (const t of texts) ctx.write(t);
        }
      }
    },
  };
}

export const getContent: CmdletDef = {
  name: 'Get-Content',
  aliases: ['gc', 'cat', 'type'],
  className: cls('GetContentCommand'),
  params: [
    { name: 'Path', type: 'string[]', position: 0, pipelineByPropertyName: true },
    { name: 'LiteralPath', type: 'string[]', aliases: ['PSPath', 'LP'] },
    { name: 'TotalCount', type: 'int', aliases: ['First', 'Head'], netType: 'System.Int64' },
    { name: 'Tail', type: 'int', aliases: ['Last'], netType: 'System.Int32' },
    { name: 'Raw', type: 'switch' },
    encodingParam,
    { name: 'Force', type: 'switch' },
  ],
  parameterSets: [
    { name: 'Path', mandatory: ['Path'] },
    { name: 'LiteralPath', mandatory: ['LiteralPath'] },
  ],
  async process(ctx, params) {
    const files = filesOf(ctx, 'Get-Content');
    const literal = params.LiteralPath !== undefined;
    for (const given of toArray(params.Path ?? params.LiteralPath).map(toPsString)) {
      let paths: string[];
      try {
        paths = literal ? [files.resolve(given)] : await expandPaths(files, given, false);
      } catch (error) {
        ctx.writeError(files.recordOf(error));
        continue;
      }
      for (const path of paths) {
        let text: string;
        try {
          text = await readTextFile(ctx, files, path);
        } catch (error) {
          if (!(error instanceof PsError)) throw error;
          ctx.writeError(error);
          continue;
        }
        writeContent(ctx, params, text);
      }
    }
  },
};

/** -Raw: the whole text; otherwise its lines, the first -TotalCount or the last -Tail of them. */
function writeContent(ctx: CmdletContext, params: Bound, text: string): void {
  if (params.Raw === true) {
    if (text !== '') ctx.write(text);
    return;
  }
  let lines = textLines(text);
  if (typeof params.TotalCount === 'number' && params.TotalCount >= 0)
    lines = lines.slice(0, params.TotalCount);
  if (typeof params.Tail === 'number' && params.Tail >= 0)
    lines = params.Tail === 0 ? [] : lines.slice(-params.Tail);
  for (const line of lines) {
    step(ctx);
    ctx.write(line);
  }
}

export const fileContentCmdlets: CmdletDef[] = [
  outFile,
  contentCmdlet('Set-Content', ['sc']),
  contentCmdlet('Add-Content', ['ac']),
  getContent,
];
