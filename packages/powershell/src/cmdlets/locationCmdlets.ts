/**
 * The script's location and the items there (Microsoft.PowerShell.Management, Windows PowerShell
 * 5.1 reference pages): Get-Location, Set-Location, Get-ChildItem, Test-Path, Remove-Item (files
 * only here), and the path cmdlets Join-Path and Split-Path. The location is the session's (runFiles.ts):
 * Set-Location moves the script, never the process or the server.
 */
import { PsError } from '../errors.js';
import { PsObject, toArray, toPsString } from '../runtime/values.js';
import { FileFault } from '../files/fileSystem.js';
import type { ScriptItem } from '../files/fileSystem.js';
import { filesOf, pathInfo } from '../files/runFiles.js';
import type { RunFiles } from '../files/runFiles.js';
import { joinPath, splitPath } from '../files/scriptPaths.js';
import { expandPaths, hasWildcard } from '../files/wildcardPaths.js';
import { wildcardMatcher } from '../runtime/regex.js';
import { fileInfoType, directoryInfoType } from '../format/fileSystemViews.js';
import { cls, step } from './cmdletHelpers.js';
import type { CmdletDef } from './types.js';

/** A file or folder as Get-ChildItem writes it (System.IO.FileInfo / DirectoryInfo). */
export function itemObject(item: ScriptItem, parent: string): PsObject {
  const dot = item.name.lastIndexOf('.');
  const extension = !item.directory && dot > 0 ? item.name.slice(dot) : '';
  return new PsObject(item.directory ? directoryInfoType : fileInfoType, {
    // Mode: `d-----` for a folder, `-a----` for a file (the Archive attribute Windows sets on a
    // file written), as Windows PowerShell 5.1 shows them.
    Mode: item.directory ? 'd-----' : '-a----',
    LastWriteTime: item.lastWriteTime,
    ...(item.directory ? {} : { Length: item.length }),
    Name: item.name,
    FullName: item.path,
    Extension: extension,
    BaseName: extension === '' ? item.name : item.name.slice(0, -extension.length),
    ...(item.directory ? {} : { DirectoryName: parent }),
    PSParentPath: parent,
    PSIsContainer: item.directory,
  });
}

const getLocation: CmdletDef = {
  name: 'Get-Location',
  aliases: ['gl', 'pwd'],
  className: cls('GetLocationCommand'),
  params: [],
  end(ctx) {
    ctx.write(pathInfo(filesOf(ctx, 'Get-Location').location()));
    return Promise.resolve();
  },
};

const setLocation: CmdletDef = {
  name: 'Set-Location',
  aliases: ['cd', 'chdir', 'sl'],
  className: cls('SetLocationCommand'),
  params: [
    { name: 'Path', type: 'string', position: 0, pipelineByValue: true },
    { name: 'LiteralPath', type: 'string', aliases: ['PSPath', 'LP'] },
    { name: 'PassThru', type: 'switch' },
  ],
  async end(ctx, params) {
    const files = filesOf(ctx, 'Set-Location');
    const given = params.Path ?? params.LiteralPath;
    // Set-Location with no path goes home (the reference: "the default location").
    const path =
      given === undefined || given === null
        ? files.fs.home
        : files.resolve(toPsString(given), 'statement');
    const item = await files.fs.stat(path).catch((error: unknown) => {
      throw files.recordOf(error, 'statement');
    });
    // A path that is not there is a non-terminating record (`cd x -ea SilentlyContinue` is quiet).
    if (!item?.directory) {
      ctx.writeError(files.recordOf(new FileFault('not-found', path)));
      return;
    }
    files.setLocation(path);
    if (params.PassThru === true) ctx.write(pathInfo(path));
  },
};

async function childItems(
  files: RunFiles,
  given: string | null,
  filter: string | null,
): Promise<{ parent: string; items: ScriptItem[] }> {
  const full = given === null ? files.location() : files.resolve(given);
  let parent = full;
  let pattern = filter;
  if (given !== null && hasWildcard(files.fs.split(full).leaf)) {
    const split = files.fs.split(full);
    parent = split.parent;
    pattern = split.leaf;
  }
  const item = await files.fs.stat(parent);
  if (item === null) throw new FileFault('not-found', parent);
  if (!item.directory) return { parent: files.fs.split(parent).parent, items: [item] };
  const matcher = pattern === null ? null : wildcardMatcher(pattern);
  const items = (await files.fs.list(parent)).filter(
    (i) => matcher === null || matcher.test(i.name),
  );
  return { parent, items };
}

const getChildItem: CmdletDef = {
  name: 'Get-ChildItem',
  aliases: ['dir', 'ls', 'gci'],
  className: cls('GetChildItemCommand'),
  params: [
    { name: 'Path', type: 'string[]', position: 0, pipelineByValue: true },
    { name: 'LiteralPath', type: 'string[]', aliases: ['PSPath', 'LP'] },
    { name: 'Filter', type: 'string', position: 1 },
    { name: 'File', type: 'switch' },
    { name: 'Directory', type: 'switch', aliases: ['ad', 'd'] },
    { name: 'Name', type: 'switch' },
    { name: 'Force', type: 'switch' },
  ],
  async end(ctx, params) {
    const files = filesOf(ctx, 'Get-ChildItem');
    const given = params.Path ?? params.LiteralPath;
    const paths = given === undefined || given === null ? [null] : toArray(given).map(toPsString);
    for (const path of paths) {
      let listing: { parent: string; items: ScriptItem[] };
      try {
        listing = await childItems(
          files,
          path,
          typeof params.Filter === 'string' ? params.Filter : null,
        );
      } catch (error) {
        ctx.writeError(files.recordOf(error));
        continue;
      }
      for (const item of listing.items) {
        step(ctx);
        if (params.File === true && item.directory) continue;
        if (params.Directory === true && !item.directory) continue;
        ctx.write(params.Name === true ? item.name : itemObject(item, listing.parent));
      }
    }
  },
};

const testPath: CmdletDef = {
  name: 'Test-Path',
  className: cls('TestPathCommand'),
  params: [
    { name: 'Path', type: 'string[]', position: 0, pipelineByValue: true },
    { name: 'LiteralPath', type: 'string[]', aliases: ['PSPath', 'LP'] },
    {
      name: 'PathType',
      type: 'enum',
      enumValues: ['Any', 'Container', 'Leaf'],
      enumType: 'Microsoft.PowerShell.Commands.TestPathType',
    },
    { name: 'IsValid', type: 'switch' },
  ],
  parameterSets: [
    { name: 'Path', mandatory: ['Path'] },
    { name: 'LiteralPath', mandatory: ['LiteralPath'] },
  ],
  async end(ctx, params) {
    const files = filesOf(ctx, 'Test-Path');
    const literal = params.LiteralPath !== undefined;
    const type = toPsString(params.PathType ?? 'Any').toLowerCase();
    for (const given of toArray(params.Path ?? params.LiteralPath).map(toPsString)) {
      step(ctx);
      // A path that cannot be (another drive, a bad name) does not exist: False, as Test-Path says.
      let found = false;
      try {
        if (params.IsValid === true) {
          files.fs.resolve(files.location(), given);
          found = true;
        } else {
          const paths = literal
            ? [files.fs.resolve(files.location(), given)]
            : await expandPaths(files, given, false);
          for (const path of paths) {
            const item = await files.fs.stat(path);
            if (item && (type === 'any' || (type === 'container') === item.directory)) found = true;
          }
        }
      } catch (error) {
        if (!(error instanceof FileFault) && !(error instanceof PsError)) throw error;
      }
      ctx.write(found);
    }
  },
};

/** Our record: a folder is not removed by scripts here (files only). */
function folderNotRemoved(path: string): PsError {
  return new PsError(
    `'${path}' is a folder; Remove-Item removes files only in this console (a limit of this product, not a PowerShell error).`,
    {
      category: 'InvalidOperation',
      errorId: 'RemoveFolderNotSupported',
      exceptionType: 'NotSupportedException',
      target: path,
      targetType: 'String',
    },
  );
}

const removeItem: CmdletDef = {
  name: 'Remove-Item',
  aliases: ['rm', 'del', 'erase', 'ri', 'rd', 'rmdir'],
  className: cls('RemoveItemCommand'),
  shouldProcess: true,
  params: [
    { name: 'Path', type: 'string[]', position: 0, pipelineByPropertyName: true },
    {
      name: 'LiteralPath',
      type: 'string[]',
      aliases: ['PSPath', 'LP', 'FullName'],
      pipelineByPropertyName: true,
    },
    { name: 'Force', type: 'switch' },
    { name: 'Recurse', type: 'switch' },
  ],
  parameterSets: [
    { name: 'Path', mandatory: ['Path'] },
    { name: 'LiteralPath', mandatory: ['LiteralPath'] },
  ],
  async process(ctx, params) {
    const files = filesOf(ctx, 'Remove-Item');
    const literal = params.LiteralPath !== undefined;
    for (const given of toArray(params.Path ?? params.LiteralPath).map(toPsString)) {
      try {
        const paths = literal ? [files.resolve(given)] : await expandPaths(files, given, false);
        for (const path of paths) {
          step(ctx);
          const item = await files.fs.stat(path);
          if (item === null) throw new FileFault('not-found', path);
          if (item.directory) throw folderNotRemoved(path);
          // FileSystemProviderStrings.RemoveItemActionFile: `What if: Performing the operation
          // "Remove File" on target "<path>".`
          if (
            !(await ctx.shouldProcess(path, {
              description: `Performing the operation "Remove File" on target "${path}".`,
            }))
          )
            continue;
          await files.fs.remove(path);
        }
      } catch (error) {
        ctx.writeError(files.recordOf(error));
      }
    }
  },
};

/** The separator of the run's file system, or Windows' when the run has none. */
function separatorFor(ctx: Parameters<typeof filesOf>[0], path: string): '\\' | '/' {
  try {
    return filesOf(ctx, 'Join-Path').fs.join('a', 'b').includes('/') ? '/' : '\\';
  } catch {
    return path.includes('/') && !path.includes('\\') ? '/' : '\\';
  }
}

const joinPathCmdlet: CmdletDef = {
  name: 'Join-Path',
  className: cls('JoinPathCommand'),
  params: [
    { name: 'Path', type: 'string[]', position: 0, aliases: ['PSPath'], pipelineByValue: true },
    { name: 'ChildPath', type: 'string', position: 1 },
  ],
  parameterSets: [{ name: 'Path', mandatory: ['Path', 'ChildPath'] }],
  end(ctx, params) {
    const child = toPsString(params.ChildPath);
    for (const parent of toArray(params.Path).map(toPsString))
      ctx.write(joinPath(parent, child, separatorFor(ctx, parent)));
    return Promise.resolve();
  },
};

const splitPathCmdlet: CmdletDef = {
  name: 'Split-Path',
  className: cls('SplitPathCommand'),
  params: [
    { name: 'Path', type: 'string[]', position: 0, pipelineByValue: true },
    { name: 'Parent', type: 'switch' },
    { name: 'Leaf', type: 'switch' },
    { name: 'Qualifier', type: 'switch' },
    { name: 'NoQualifier', type: 'switch' },
    { name: 'IsAbsolute', type: 'switch' },
  ],
  parameterSets: [{ name: 'ParentSet', mandatory: ['Path'] }],
  end(ctx, params) {
    for (const path of toArray(params.Path).map(toPsString)) {
      const drive = /^([A-Za-z][A-Za-z0-9_]*:)(.*)$/s.exec(path);
      if (params.IsAbsolute === true)
        ctx.write(drive !== null || path.startsWith('/') || path.startsWith('\\'));
      else if (params.Qualifier === true) ctx.write(drive?.[1] ?? '');
      else if (params.NoQualifier === true) ctx.write(drive?.[2] ?? path);
      else {
        const root = drive ? `${drive[1]}\\` : path.startsWith('/') ? '/' : '';
        const parts = splitPath(path, separatorFor(ctx, path), root);
        ctx.write(params.Leaf === true ? parts.leaf : parts.parent);
      }
    }
    return Promise.resolve();
  },
};

export const locationCmdlets: CmdletDef[] = [
  getLocation,
  setLocation,
  getChildItem,
  testPath,
  removeItem,
  joinPathCmdlet,
  splitPathCmdlet,
];
