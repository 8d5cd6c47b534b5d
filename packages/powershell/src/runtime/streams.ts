/**
 * PowerShell's six streams (about_Output_Streams, about_Redirection): 1 Output, 2 Error, 3 Warning,
 * 4 Verbose, 5 Debug, 6 Information. A record written to streams 2-6 goes to the console unless a
 * command it runs inside redirects that stream: `2>&1` merges it into the command's output (as a
 * record object), `2> $null` drops it. The innermost redirection wins, so `& { Write-Error x } 2>&1`
 * catches the error the block writes.
 */
import { PsObject } from './values.js';

export type RecordStream = 2 | 3 | 4 | 5 | 6;

/** What a redirection does with a stream while its command runs. */
export type StreamRoute = { kind: 'output'; sink: unknown[] } | { kind: 'null' };

export interface StreamFrame {
  routes: Map<RecordStream, StreamRoute>;
}

/** The .NET types of the records streams 3-6 carry (System.Management.Automation). */
export const warningRecordType = 'System.Management.Automation.WarningRecord';
export const verboseRecordType = 'System.Management.Automation.VerboseRecord';
export const debugRecordType = 'System.Management.Automation.DebugRecord';
export const informationRecordType = 'System.Management.Automation.InformationRecord';

/** The console text of a record object. */
export interface RecordConsoleText {
  text: string;
}

const consoleTextOf = new WeakMap<object, RecordConsoleText>();

/** Remembers how the console shows `record` should it reach Out-Default as an object (`2>&1`). */
export function rememberConsoleText(record: object, text: RecordConsoleText): void {
  consoleTextOf.set(record, text);
}

/** How the console shows a record object that went down the output stream, or undefined. */
export function recordConsoleText(value: unknown): RecordConsoleText | undefined {
  return typeof value === 'object' && value !== null ? consoleTextOf.get(value) : undefined;
}

/**
 * Streams 3-6 as objects: WarningRecord, VerboseRecord and DebugRecord carry `Message`;
 * InformationRecord carries `MessageData` and `Tags` (Write-Host's are `PSHOST`).
 */
export function streamRecord(stream: 3 | 4 | 5, message: string): PsObject {
  const type =
    stream === 3 ? warningRecordType : stream === 4 ? verboseRecordType : debugRecordType;
  const record = new PsObject(type, { Message: message, InvocationInfo: null });
  const prefix = stream === 3 ? 'WARNING: ' : stream === 4 ? 'VERBOSE: ' : 'DEBUG: ';
  rememberConsoleText(record, { text: `${prefix}${message}\n` });
  return record;
}

export function informationRecord(
  messageData: unknown,
  text: string,
  tags: string[],
  source: string,
): PsObject {
  const record = new PsObject(informationRecordType, {
    MessageData: messageData,
    Source: source,
    TimeGenerated: new Date(),
    Tags: tags,
  });
  rememberConsoleText(record, { text });
  return record;
}

/** The record types whose text (`"$w"`) is their message. */
export const messageRecordTypes: ReadonlySet<string> = new Set([
  warningRecordType,
  verboseRecordType,
  debugRecordType,
]);

/**
 * The redirections in force, innermost last. `route` answers where a record of `stream` goes:
 * the innermost frame that redirects it, or the console (undefined).
 */
export class StreamRouting {
  private readonly frames: StreamFrame[] = [];

  route(stream: RecordStream): StreamRoute | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const route = this.frames[i]?.routes.get(stream);
      if (route) return route;
    }
    return undefined;
  }

  async within<T>(frame: StreamFrame | null, run: () => Promise<T>): Promise<T> {
    if (frame === null || frame.routes.size === 0) return run();
    this.frames.push(frame);
    try {
      return await run();
    } finally {
      this.frames.splice(this.frames.lastIndexOf(frame), 1);
    }
  }
}
