/**
 * Redirection at run time (about_Redirection): `n>&1` and `*>&1` merge streams 2-6 into the
 * command's output as record objects, `n> $null` drops a stream, `> $null` (or `1>`, `*>`) drops
 * the output, and `> file`, `>> file`, `2> file`, `*> file` write the stream to a file as
 * Out-File does ("The redirection operators ... use the Out-File cmdlet": about_Redirection,
 * Windows PowerShell 5.1), so in Unicode (UTF-16LE) at the console's width; `>>` appends.
 */
import type { Expression, RedirectionNode } from '../language/ast.js';
import { formatDefault } from '../format/view.js';
import { filesOfScope, fileSystemNotAvailable } from '../files/runFiles.js';
import { writeTextFile } from '../files/textFiles.js';
import type { RecordConsoleText, RecordStream, StreamFrame, StreamRoute } from './streams.js';
import { recordConsoleText } from './streams.js';
import type { Variables } from './variables.js';
import { toPsString } from './values.js';

const recordStreams: RecordStream[] = [2, 3, 4, 5, 6];

function discards(redirection: RedirectionNode): boolean {
  const target = redirection.target;
  return target?.kind === 'variable' && target.name.toLowerCase() === 'null';
}

/** A stream (or several) sent to a file while the command runs. */
interface FileTarget {
  path: string;
  append: boolean;
  /** Whether the command's output (stream 1) goes to this file. */
  output: boolean;
  /** The records of the streams 2-6 it takes, in the order written. */
  sink: unknown[];
}

const fileTargets = new WeakMap<StreamFrame, FileTarget[]>();

/** The routes a command's redirections set for streams 2-6 while it runs; `sink` is its output. */
export async function redirectionFrame(
  redirections: RedirectionNode[] | undefined,
  sink: unknown[],
  variables: Variables,
  evaluateTarget: (target: Expression) => Promise<unknown>,
): Promise<StreamFrame | null> {
  if (!redirections || redirections.length === 0) return null;
  variables.budget.step();
  const routes = new Map<RecordStream, StreamRoute>();
  const targets: FileTarget[] = [];
  for (const redirection of redirections) {
    let route: StreamRoute;
    if (redirection.merge) route = { kind: 'output', sink };
    else if (discards(redirection)) route = { kind: 'null' };
    else {
      const files = filesOfScope(variables);
      if (!files) throw Object.assign(fileSystemNotAvailable('Out-File'), { extent: redirection });
      const target = redirection.target;
      const name = target ? toPsString(await evaluateTarget(target)) : '';
      const file: FileTarget = {
        path: files.resolve(name, 'statement'),
        append: redirection.append,
        output: redirection.stream === 1 || redirection.stream === '*',
        sink: [],
      };
      targets.push(file);
      route = { kind: 'output', sink: file.sink };
    }
    const streams = redirection.stream === '*' ? recordStreams : [redirection.stream];
    for (const stream of streams) {
      if (stream === 1) continue;
      // `*>&1 2> $null`: the stream named on its own wins over `*`.
      if (redirection.stream === '*' && routes.has(stream)) continue;
      routes.set(stream, route);
    }
  }
  const frame = { routes };
  if (targets.length > 0) fileTargets.set(frame, targets);
  return frame;
}

/** What happens to the command's output (stream 1): kept, or dropped by `> $null` / `*> $null`. */
export function redirectOutput(redirections: RedirectionNode[] | undefined): 'keep' | 'null' {
  const output = (redirections ?? []).find((r) => !r.merge && (r.stream === 1 || r.stream === '*'));
  return output && discards(output) ? 'null' : 'keep';
}

/** Console text of objects and records, as Out-Default would show them, for a file. */
function consoleTextOf(items: unknown[], width: number): string {
  let text = '';
  let run: unknown[] = [];
  for (const item of items) {
    const shown = recordConsoleText(item);
    if (!shown) {
      run.push(item);
      continue;
    }
    text += formatDefault(run, width) + shown.text;
    run = [];
  }
  return text + formatDefault(run, width);
}

/**
 * After the command: writes what went to files, and gives the output that goes on down the
 * pipeline (none when stream 1 went to a file or to $null).
 */
export async function redirectedOutput(
  redirections: RedirectionNode[] | undefined,
  output: unknown[],
  frame: StreamFrame | null,
  variables: Variables,
  width: number,
): Promise<unknown[]> {
  const targets = frame ? fileTargets.get(frame) : undefined;
  let rest = redirectOutput(redirections) === 'null' ? [] : output;
  if (!targets) return rest;
  const files = filesOfScope(variables);
  if (!files) throw fileSystemNotAvailable('Out-File');
  for (const target of targets) {
    const items = target.output ? [...target.sink, ...output] : target.sink;
    if (target.output) rest = [];
    await writeTextFile(
      { variables },
      files,
      target.path,
      consoleTextOf(items, width),
      'Unicode',
      target.append ? 'append' : 'overwrite',
    );
  }
  return rest;
}

/** A record object that reached the console through the output stream, shown as its stream shows it. */
export function consoleItem(item: unknown): RecordConsoleText | undefined {
  return recordConsoleText(item);
}
