/**
 * What happens to a record a command writes to streams 2-6, as MshCommandRuntime decides it
 * (about_Preference_Variables, about_CommonParameters, about_Redirection): the preference (Continue
 * shows it, SilentlyContinue hides it, Ignore leaves no trace, Stop ends the script, Inquire asks),
 * the -ErrorVariable/-WarningVariable/-InformationVariable, `$Error`, and where a shown record goes:
 * the console, or the output of a command that redirected its stream (`2>&1`, `3> $null`).
 */
import type { ErrorRecord } from '../errors.js';
import { PsError, nonInteractivePrompt } from '../errors.js';
import type { ActionPreference, CommandVariable } from './commonParameters.js';
import { inquire, preferenceStop } from './commonParameters.js';
import { errorInit } from './commandInfo.js';
import type { HostPrompter } from './hostUi.js';
import type { StreamRouting } from './streams.js';
import { informationRecord, rememberConsoleText, streamRecord } from './streams.js';
import type { PsObject } from './values.js';
import { toPsString } from './values.js';

/** What the writer needs from the runner. */
export interface RecordSink {
  readonly routing: StreamRouting;
  readonly prompt: HostPrompter | undefined;
  /** Console text of a stream, after the output written before it. */
  toConsole(text: string): void;
  /** Adds the error to `$Error` (newest first) and returns its record object. */
  addToErrorList(error: PsError, record: ErrorRecord): PsObject;
  /** Counts an error for `$?`. */
  countError(): void;
  /** Shows an error record on the console (and in the run's list of shown records). */
  showError(record: ErrorRecord, error: PsError): void;
  /** Shows a warning, verbose or debug line (and lists it, so a console can colour it). */
  showMessage(message: ConsoleMessage): void;
}

/** A warning, verbose or debug line as the console showed it (PowerShell shows them in yellow). */
export interface ConsoleMessage {
  stream: 'warning' | 'verbose' | 'debug';
  text: string;
}

const messageStreams = { 3: 'warning', 4: 'verbose', 5: 'debug' } as const;

/** The Suspend note of an Inquire prompt: this console has no nested prompt. */
export const suspendNote =
  'Suspend is not available in this console (there is no nested prompt); answer again.\n';

/** The variables and preferences of one command. */
export interface CommandStreams {
  preference: ActionPreference;
  variable: CommandVariable | null;
}

export class RecordWriter {
  constructor(private readonly sink: RecordSink) {}

  private readonly suspendNote = (): void => this.sink.toConsole(suspendNote);

  /** "Continue with this operation?" after a shown record; fails with nobody to ask. */
  private ask(): Promise<void> {
    const prompt = this.sink.prompt;
    if (!prompt) throw nonInteractivePrompt();
    return inquire(prompt, null, this.suspendNote).then(() => undefined);
  }

  /** Sends a record object down its stream: into a redirecting command's output, nowhere, or the console. */
  private emit(stream: 3 | 4 | 5 | 6, object: PsObject, text: string): void {
    const route = this.sink.routing.route(stream);
    if (route?.kind === 'output') {
      route.sink.push(object);
      return;
    }
    if (route?.kind === 'null') return;
    if (stream === 6) this.sink.toConsole(text);
    else this.sink.showMessage({ stream: messageStreams[stream], text });
  }

  /**
   * A non-terminating error (WriteError). Stop makes it terminating (the script ends unless a
   * `catch` takes it); Inquire asks first (Yes to All is remembered by the caller through
   * `yesToAll`).
   */
  writeError(
    error: PsError,
    record: ErrorRecord,
    streams: CommandStreams,
    yesToAll: { value: boolean },
  ): void | Promise<void> {
    this.sink.countError();
    let preference = streams.preference;
    if (preference === 'Ignore') return;
    if (preference === 'Stop')
      throw new PsError(error.message, { ...errorInit(error), reach: 'script' });
    if (preference === 'Inquire' && yesToAll.value) preference = 'Continue';
    // With nobody to ask the prompt fails, as under powershell.exe -NonInteractive.
    if (preference === 'Inquire' && !this.sink.prompt) throw nonInteractivePrompt();
    const finish = (): void => {
      const object = this.sink.addToErrorList(error, record);
      streams.variable?.add(object);
      if (preference === 'SilentlyContinue') return;
      rememberConsoleText(object, { text: record.text });
      const route = this.sink.routing.route(2);
      if (route?.kind === 'output') route.sink.push(object);
      else if (route?.kind !== 'null') this.sink.showError(record, error);
    };
    const prompt = this.sink.prompt;
    if (preference === 'Inquire' && prompt)
      return inquire(prompt, error.message, this.suspendNote).then((all) => {
        yesToAll.value = all;
        finish();
      });
    finish();
  }

  /**
   * Write-Warning, Write-Verbose, Write-Debug (WriteHelper): Continue and Inquire show the record,
   * Stop shows it and then ends the script with ErrorPreferenceStop, Inquire asks after showing it.
   */
  writeMessage(
    stream: 3 | 4 | 5,
    message: string,
    streams: CommandStreams,
    variableName: string,
  ): void | Promise<void> {
    const preference = streams.preference;
    const record = streamRecord(stream, message);
    if (preference === 'Ignore') return;
    if (stream === 3) streams.variable?.add(record);
    if (preference !== 'SilentlyContinue')
      this.emit(stream, record, `${prefixOf(stream)}${message}\n`);
    if (preference === 'Stop') throw preferenceStop(variableName, message);
    if (preference === 'Inquire') return this.ask();
  }

  /**
   * Write-Information and Write-Host (stream 6). Write-Host's records are shown unless its own
   * -InformationAction hides them ($InformationPreference does not: WriteHostCommand).
   */
  writeInformation(
    messageData: unknown,
    text: string,
    tags: string[],
    source: string,
    streams: CommandStreams,
  ): void | Promise<void> {
    const preference = streams.preference;
    if (preference === 'Ignore') return;
    const record = informationRecord(messageData, text, tags, source);
    streams.variable?.add(record);
    if (preference !== 'SilentlyContinue') this.emit(6, record, text);
    if (preference === 'Stop')
      throw preferenceStop('InformationPreference', toPsString(messageData));
    if (preference === 'Inquire') return this.ask();
  }
}

function prefixOf(stream: 3 | 4 | 5): string {
  return stream === 3 ? 'WARNING: ' : stream === 4 ? 'VERBOSE: ' : 'DEBUG: ';
}
