/**
 * Wildcards in the last part of a path (about_Wildcards: `*`, `?`, `[a-c]`), as the FileSystem
 * provider expands them for -Path (never for -LiteralPath): the matching items of the folder, in
 * name order. A pattern that matches nothing gives no paths and no error, as in PowerShell.
 */
import { wildcardMatcher } from '../runtime/regex.js';
import type { RunFiles } from './runFiles.js';

export function hasWildcard(text: string): boolean {
  return /[*?[]/.test(text);
}

/** The full paths `given` names; `files` only: folders are left out of a wildcard's matches. */
export async function expandPaths(
  files: RunFiles,
  given: string,
  filesOnly: boolean,
): Promise<string[]> {
  const full = files.resolve(given);
  const { parent, leaf } = files.fs.split(full);
  if (!hasWildcard(leaf) || parent === '') return [full];
  const matcher = wildcardMatcher(leaf);
  try {
    const items = await files.fs.list(parent);
    return items
      .filter((i) => matcher.test(i.name) && !(filesOnly && i.directory))
      .map((i) => i.path);
  } catch (error) {
    throw files.recordOf(error);
  }
}
