/**
 * Redirection at run time (about_Redirection): `n>&1` and `*>&1` merge streams 2-6 into the
 * command's output as record objects, `n> $null` drops a stream, `> $null` (or `1>`, `*>`) drops
 * the output. A file target is refused: this console writes no files through redirection.
 */
import type { RedirectionNode } from '../language/ast.js';
import { PsError } from '../errors.js';
import type { RecordConsoleText, RecordStream, StreamFrame, StreamRoute } from './streams.js';
import { recordConsoleText } from './streams.js';
import type { Variables } from './variables.js';

const recordStreams: RecordStream[] = [2, 3, 4, 5, 6];

function discards(redirection: RedirectionNode): boolean {
  const target = redirection.target;
  return target?.kind === 'variable' && target.name.toLowerCase() === 'null';
}

/**
 * Our own refusal (not a PowerShell message): files are written only through the host's own
 * operations, and redirection is not one of them.
 */
function fileRedirectionRefused(redirection: RedirectionNode): PsError {
  return new PsError(
    'Redirection to a file is not supported in this console; redirect to $null, or merge the stream with 2>&1 (a limit of this product, not a PowerShell error).',
    {
      category: 'NotImplemented',
      errorId: 'RedirectionToFileNotSupported',
      exceptionType: 'NotSupportedException',
      reach: 'statement',
      extent: redirection,
    },
  );
}

/** The routes a command's redirections set for streams 2-6 while it runs; `sink` is its output. */
export function redirectionFrame(
  redirections: RedirectionNode[] | undefined,
  sink: unknown[],
  variables: Variables,
): StreamFrame | null {
  if (!redirections || redirections.length === 0) return null;
  variables.budget.step();
  const routes = new Map<RecordStream, StreamRoute>();
  for (const redirection of redirections) {
    if (!redirection.merge && !discards(redirection)) throw fileRedirectionRefused(redirection);
    const route: StreamRoute = redirection.merge ? { kind: 'output', sink } : { kind: 'null' };
    const streams = redirection.stream === '*' ? recordStreams : [redirection.stream];
    for (const stream of streams) {
      if (stream === 1) continue;
      // `*>&1 2> $null`: the stream named on its own wins over `*`.
      if (redirection.stream === '*' && routes.has(stream)) continue;
      routes.set(stream, route);
    }
  }
  return { routes };
}

/** What happens to the command's output (stream 1): kept, or dropped by `> $null` / `*> $null`. */
export function redirectOutput(redirections: RedirectionNode[] | undefined): 'keep' | 'null' {
  const output = (redirections ?? []).find((r) => !r.merge && (r.stream === 1 || r.stream === '*'));
  return output && discards(output) ? 'null' : 'keep';
}

/** A record object that reached the console through the output stream, shown as its stream shows it. */
export function consoleItem(item: unknown): RecordConsoleText | undefined {
  return recordConsoleText(item);
}
