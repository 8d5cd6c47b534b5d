/**
 * Writing and reading a script's text files through the run's file system, with the encodings of
 * textEncoding.ts, CRLF line ends, and a step of the run's budget for every file operation and
 * every 64 KB moved (so a loop of writes ends at the step limit too).
 */
import { formatDefault } from '../format/view.js';
import type { ErrorReach } from '../errors.js';
import type { CmdletContext } from '../cmdlets/types.js';
import type { WriteMode } from './fileSystem.js';
import type { RunFiles } from './runFiles.js';
import type { EncodingName } from './textEncoding.js';
import { decodeText, encodeText, markedEncoding, windowsLineEnds } from './textEncoding.js';
import { PsError } from '../errors.js';

type Budgeted = Pick<CmdletContext, 'variables'>;

function steps(ctx: Budgeted, bytes: number): void {
  const budget = ctx.variables?.budget;
  if (!budget) return;
  budget.step();
  for (let n = 64 * 1024; n < bytes; n += 64 * 1024) budget.step();
}

/**
 * Writes `text` (LF line ends; written as CRLF) to the full path. Appending without an -Encoding
 * of the caller's keeps the encoding of a file that has a byte-order mark (our reading: so that
 * one file is not half UTF-16 and half ANSI) and never writes a second mark.
 */
export async function writeTextFile(
  ctx: Budgeted,
  files: RunFiles,
  path: string,
  text: string,
  encoding: EncodingName,
  mode: WriteMode,
  options: { explicitEncoding?: boolean; reach?: ErrorReach } = {},
): Promise<void> {
  const reach = options.reach ?? 'statement';
  try {
    let chosen = encoding;
    let withMark = true;
    if (mode === 'append') {
      const existing = await files.fs.stat(path);
      if (existing && !existing.directory && existing.length > 0) {
        withMark = false;
        if (options.explicitEncoding !== true) {
          const head = await files.fs.read(path);
          chosen = markedEncoding(head) ?? chosen;
        }
      }
    }
    const bytes = encodeText(windowsLineEnds(text), chosen, withMark);
    steps(ctx, bytes.length);
    await files.fs.write(path, bytes, mode);
  } catch (error) {
    if (error instanceof PsError) throw error;
    throw files.recordOf(error, reach);
  }
}

/** A file's text (by its byte-order mark, else Windows-1252 as 5.1 reads). */
export async function readTextFile(
  ctx: Budgeted,
  files: RunFiles,
  path: string,
  reach: ErrorReach = 'non-terminating',
): Promise<string> {
  try {
    const bytes = await files.fs.read(path);
    steps(ctx, bytes.length);
    return decodeText(bytes);
  } catch (error) {
    throw files.recordOf(error, reach);
  }
}

/**
 * Output as Out-File writes it: the console's formatting of the objects at `width` (Out-File
 * reference: "uses PowerShell's formatting system to write to the file ... the same display
 * representation as the console"). -NoNewline concatenates each object's text with no line ends.
 */
export function outFileText(items: unknown[], width: number, noNewline: boolean): string {
  if (!noNewline) return formatDefault(items, width);
  return items.map((item) => formatDefault([item], width).replace(/\r?\n$/, '')).join('');
}
