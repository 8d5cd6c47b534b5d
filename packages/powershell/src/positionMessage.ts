/**
 * The position part of an error record (InvocationInfo.PositionMessage, PositionUtilities.VerboseMessage
 * in PowerShell's Position.cs): `At line:L char:C`, the source line and a `~` under the failing part.
 * A line longer than 69 characters is cut around the failing part with `... ` before and ` ...`
 * after (Windows PowerShell 5.1 writes three dots, as its transcripts show:
 * `+ ... kupTo M:\HyperV_VHD\Genera-Win10Pro1 -List D:\scripts\vms.txt -Wd D:\ ...`); tabs count as
 * four spaces; an extent that runs past its first line is underlined to the end of that line.
 */
import type { Extent } from './language/ast.js';

/** "sometimes PowerShell is opened with width 80", less the `+ ` and the dots (Position.cs). */
const MAX_LINE_LENGTH = 69;
const DOTS = '...';

/** Line (1-based), column (1-based) and text of the line holding `offset`. */
export function locate(
  script: string,
  offset: number,
): { line: number; char: number; text: string } {
  const before = script.slice(0, offset);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEndAt = script.indexOf('\n', lineStart);
  const text = script
    .slice(lineStart, lineEndAt === -1 ? script.length : lineEndAt)
    .replace(/\r$/, '');
  return { line, char: offset - lineStart + 1, text };
}

/**
 * The path of each script now running as a file (RunOptions.scriptFile), by its text: its positions
 * read `At <path>:L char:C`, as PowerShell writes a position in a file (Position.cs: "At {0}:{1}
 * char:{2}" with the file, or the word `line` without one; public transcripts such as
 * `At C:\Users\...\ADACLScan.ps1:14635 char:99`).
 */
const scriptFileNames = new Map<string, string[]>();

/** Names the file `script` was read from while it runs; answers the function that ends that. */
export function nameScriptFile(script: string, path: string): () => void {
  const paths = scriptFileNames.get(script) ?? [];
  paths.push(path);
  scriptFileNames.set(script, paths);
  return () => {
    const at = paths.lastIndexOf(path);
    if (at !== -1) paths.splice(at, 1);
    if (paths.length === 0) scriptFileNames.delete(script);
  };
}

/** The path of the script file `script` runs as, if it runs as one. */
export function scriptFileName(script: string): string | undefined {
  const paths = scriptFileNames.get(script);
  return paths?.[paths.length - 1];
}

export function positionLines(script: string, extent: Extent): string[] {
  const { line, char, text } = locate(script, extent.start);
  const paths = scriptFileNames.get(script);
  const header = `At ${paths?.[paths.length - 1] ?? 'line'}:${line} char:${char}`;
  let source = text.trimEnd();
  if (source === '') return [header];
  let before = char - 1;
  const sameLine = !script.slice(extent.start, extent.end).includes('\n');
  let length =
    sameLine && extent.end - extent.start + char <= source.length + 1
      ? extent.end - extent.start
      : source.length - before;
  if (source.includes('\t')) {
    const head = source.slice(0, before).replace(/\t/g, '    ');
    const marked = source.slice(before, before + length).replace(/\t/g, '    ');
    source = head + marked + source.slice(before + length).replace(/\t/g, '    ');
    before = head.length;
    length = marked.length;
  }
  let prefixDots = false;
  let suffixDots = false;
  if (source.length > MAX_LINE_LENGTH) {
    // Keep as much of the failing part as fits, with up to 12 characters before it and 8 after,
    // then give what room is left to the text before, then to the text after.
    const totalPrefix = before;
    const totalSuffix = source.length - length - before;
    let prefix = Math.min(totalPrefix, 12);
    let suffix = Math.min(totalSuffix, 8);
    let candidate = prefix + length + suffix;
    if (candidate >= MAX_LINE_LENGTH) {
      if (prefix + length >= MAX_LINE_LENGTH) length = MAX_LINE_LENGTH - prefix;
      suffixDots = true;
    } else {
      if (totalPrefix > prefix) {
        prefix += Math.min(totalPrefix - prefix, MAX_LINE_LENGTH - candidate);
        candidate = prefix + length + suffix;
      }
      if (candidate < MAX_LINE_LENGTH && totalSuffix > 0)
        suffix += Math.min(totalSuffix, MAX_LINE_LENGTH - candidate);
      suffixDots = suffix < totalSuffix;
    }
    prefixDots = prefix < totalPrefix;
    const start = Math.max(before - prefix, 0);
    source = source.slice(start, start + MAX_LINE_LENGTH);
    before = Math.min(before, prefix);
    length = Math.min(length, MAX_LINE_LENGTH - before);
  }
  const shown = `${prefixDots ? `${DOTS} ` : ''}${source}${suffixDots ? ` ${DOTS}` : ''}`;
  const marker =
    ' '.repeat(before + (prefixDots ? DOTS.length + 1 : 0)) + '~'.repeat(Math.max(1, length));
  return [header, `+ ${shown}`, `+ ${marker}`];
}
