/**
 * The command line of hvps. This is the only module that reads `process.argv`, `process.env`,
 * and what the terminal is (stdout width, whether stdin is a TTY).
 */

export const DEFAULT_SERVER = 'http://127.0.0.1:8080';
export const DEFAULT_WIDTH = 120;
/** The range the server accepts for the console width. */
const MIN_WIDTH = 40;
const MAX_WIDTH = 400;

export type Target = { kind: 'server'; url: string } | { kind: 'data'; folder: string };

export type Invocation =
  | { kind: 'help' }
  /**
   * `script` is null when it comes from standard input. `interactive`: prompts (confirmations,
   * missing mandatory parameters) are asked on the terminal; otherwise they fail as under
   * `powershell.exe -NonInteractive`.
   */
  | {
      kind: 'run';
      script: string | null;
      /** `-File <path>`: the script is this file's text (then `script` is null). */
      file?: string;
      /** The arguments after `-File <path>`, for the script's `param()` block and `$args`. */
      scriptArguments?: string[];
      target: Target;
      width: number;
      interactive: boolean;
    };

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const usage = `Usage: hvps [-Command] '<script>' [--server <url> | --data <folder>]
       hvps -File <script.ps1> [<argument> ...] [--server <url> | --data <folder>]
       <script source> | hvps [--server <url> | --data <folder>]

Runs Hyper-V PowerShell cmdlets (Get-VM, Set-VM, Checkpoint-VM, Get-VMSnapshot, ...).

  -Command, -c <script>  the script to run; without it (or with -Command -) the script is read
                         from standard input
  -File, -f <path> ...   run the script in this file; the arguments after it are the script's
                         (its param() block, then $args), as with powershell.exe -File; with --data
  --server <url>         a running Hyper-V Manager server (default ${DEFAULT_SERVER})
  --data <folder>        open the host data folder directly instead (not while a server uses it)
  --width <n>            console width for tables, ${MIN_WIDTH}-${MAX_WIDTH} (default: the terminal's, or ${DEFAULT_WIDTH})
  -NonInteractive        never prompt: a confirmation (Remove-VM, Restore-VMSnapshot, Stop-VM -TurnOff,
                         ...) or a missing mandatory parameter is an error, as with
                         powershell.exe -NonInteractive; -Confirm:$false or -Force skip a confirmation
  -h, --help             this text

With --data, a script given with -Command on a terminal asks its questions there (on standard
error, answers read from the terminal). A script read from standard input, a run whose standard
input is not a terminal, and every --server run are non-interactive.

Output goes to standard output, error records to standard error. The exit code is the script's,
as with powershell.exe: N after \`exit N\` (modulo 256, all a Linux process returns); otherwise 1 when the last statement failed (\`$?\` is
False: an error record, a parse error, an uncaught throw) and 0 when it succeeded. 1 also when the
server cannot be reached, 2 on a usage error.
`;

interface Terminal {
  /** `process.stdout.columns`; undefined when stdout is not a terminal. */
  columns: number | undefined;
  stdinIsTty: boolean;
}

/** Options that take a value, by their lower-case spelling. */
const valueOptions: Record<string, 'command' | 'file' | 'server' | 'data' | 'width'> = {
  '-command': 'command',
  '-file': 'file',
  '--file': 'file',
  '-f': 'file',
  '--command': 'command',
  '-c': 'command',
  '--server': 'server',
  '-server': 'server',
  '--data': 'data',
  '-data': 'data',
  '--width': 'width',
  '-width': 'width',
};

const helpOptions = new Set(['-h', '--help', '-help', '-?', '/?']);

/** pwsh's -NonInteractive (and its -noni abbreviation). */
const nonInteractiveOptions = new Set([
  '-noninteractive',
  '--noninteractive',
  '--non-interactive',
  '-noni',
]);

/** hvps's `--` options, which stay hvps's after `-File <path>`. */
function isHvpsLongOption(lower: string): boolean {
  const name = lower.split('=')[0] ?? lower;
  return (
    name.startsWith('--') && (valueOptions[name] !== undefined || nonInteractiveOptions.has(name))
  );
}

function clampWidth(columns: number | undefined): number {
  if (columns === undefined || !Number.isFinite(columns) || columns <= 0) return DEFAULT_WIDTH;
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, Math.floor(columns)));
}

function parseWidth(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) < MIN_WIDTH || Number(raw) > MAX_WIDTH) {
    throw new UsageError(
      `--width must be a whole number from ${MIN_WIDTH} to ${MAX_WIDTH}, not "${raw}".`,
    );
  }
  return Number(raw);
}

function parseServerUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(
      `--server must be an http(s) URL such as ${DEFAULT_SERVER}, not "${raw}".`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(
      `--server must be an http(s) URL such as ${DEFAULT_SERVER}, not "${raw}".`,
    );
  }
  return url.href.replace(/\/+$/, '');
}

/** Parses the arguments (without `node` and the script path). Throws `UsageError`. */
export function parseArgs(argv: readonly string[], terminal: Terminal): Invocation {
  const values: Partial<Record<'command' | 'file' | 'server' | 'data' | 'width', string>> = {};
  const positional: string[] = [];
  const scriptArguments: string[] = [];
  let nonInteractive = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const lower = arg.toLowerCase();
    // After `-File <path>` every argument is the script's, as with powershell.exe, except hvps's
    // own `--` options (`--data`, `--server`, `--width`, `--non-interactive`).
    if (values.file !== undefined && !isHvpsLongOption(lower)) {
      scriptArguments.push(arg);
      continue;
    }
    if (helpOptions.has(lower)) return { kind: 'help' };
    if (positional.length === 0 && nonInteractiveOptions.has(lower)) {
      nonInteractive = true;
      continue;
    }
    const eq = arg.startsWith('-') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? lower.slice(0, eq) : lower;
    const option = valueOptions[name];
    if (option !== undefined) {
      let value: string | undefined;
      if (eq > 0) value = arg.slice(eq + 1);
      else {
        value = argv[i + 1];
        i++;
      }
      if (value === undefined) throw new UsageError(`${arg} needs a value.`);
      if (values[option] !== undefined) throw new UsageError(`${arg} is given twice.`);
      values[option] = value;
      continue;
    }
    if (
      arg.startsWith('-') &&
      positional.length === 0 &&
      values.command === undefined &&
      values.file === undefined
    ) {
      throw new UsageError(`Unknown option ${arg}. Run hvps --help for the options.`);
    }
    positional.push(arg);
  }
  if (values.file !== undefined) {
    if (values.command !== undefined)
      throw new UsageError('Give either -Command or -File, not both.');
    if (positional.length > 0)
      throw new UsageError(
        `Unexpected argument "${positional[0] ?? ''}": give the script's arguments after -File <path>.`,
      );
    if (values.file === '') throw new UsageError('-File needs a file.');
    if (scriptArguments.length > 0 && values.data === undefined)
      throw new UsageError(
        'Arguments for a -File script need --data <folder>: the server runs a script without arguments.',
      );
  }
  if (values.command !== undefined && positional.length > 0) {
    throw new UsageError(
      `Unexpected argument "${positional[0] ?? ''}": the script is already given with -Command.`,
    );
  }
  // `hvps 'Get-VM'` and `hvps Get-VM -Name X`: the rest of the line is the script, as with pwsh.
  const given = values.command ?? (positional.length > 0 ? positional.join(' ') : undefined);
  // `-Command -` reads the script from standard input, as pwsh does.
  const command = given === '-' ? undefined : given;
  if (values.server !== undefined && values.data !== undefined) {
    throw new UsageError('Give either --server or --data, not both.');
  }
  if (values.data === '') throw new UsageError('--data needs a folder.');
  const target: Target =
    values.data !== undefined
      ? { kind: 'data', folder: values.data }
      : { kind: 'server', url: parseServerUrl(values.server ?? DEFAULT_SERVER) };
  const width =
    values.width !== undefined ? parseWidth(values.width) : clampWidth(terminal.columns);
  if (values.file !== undefined) {
    const interactive = terminal.stdinIsTty && !nonInteractive && target.kind === 'data';
    return {
      kind: 'run',
      script: null,
      file: values.file,
      scriptArguments,
      target,
      width,
      interactive,
    };
  }
  if (command === undefined) {
    if (terminal.stdinIsTty && given !== '-') {
      throw new UsageError(
        "No script: give one with -Command '<script>' or on standard input. Run hvps --help for the options.",
      );
    }
    return { kind: 'run', script: null, target, width, interactive: false };
  }
  if (command.trim() === '') throw new UsageError('The script given with -Command is empty.');
  const interactive = terminal.stdinIsTty && !nonInteractive && target.kind === 'data';
  return { kind: 'run', script: command, target, width, interactive };
}

/** The invocation of this process. Throws `UsageError`. */
export function readInvocation(): Invocation {
  return parseArgs(process.argv.slice(2), {
    columns: process.stdout.columns,
    stdinIsTty: process.stdin.isTTY,
  });
}
