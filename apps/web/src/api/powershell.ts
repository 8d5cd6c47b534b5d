import { queryOptions } from '@tanstack/react-query';
import { request } from './client';

/** A PowerShell error record as the server sends it. */
export interface PowerShellErrorRecord {
  message: string;
  categoryInfo: string;
  fullyQualifiedErrorId: string;
  /** The record as the console prints it; it is also part of `output`. */
  text: string;
}

/** A warning, verbose or debug line of the output, as the server lists it. */
export interface PowerShellConsoleMessage {
  stream: 'warning' | 'verbose' | 'debug';
  /** The line as the console prints it (`WARNING: ...`); it is also part of `output`. */
  text: string;
}

/** What the console shows after a script (part of the end of a run). */
export interface PowerShellResult {
  output: string;
  /** Empty: the console asks for the text only (`objects: false`). */
  objects: unknown[];
  errors: PowerShellErrorRecord[];
  /** Absent from servers older than the streams. */
  messages?: PowerShellConsoleMessage[];
  hadTerminatingError: boolean;
  /** Where the script left the session (`Files:\Logs`), for the `PS <location>>` prompt. */
  location?: string;
}

/** One choice of a prompt; `&` marks its hot key (`&Yes`, `Yes to &All`). */
export interface PowerShellPromptChoice {
  label: string;
  help: string;
}

/** A prompt of the host user interface (the server's HostPrompt). */
export type PowerShellPrompt =
  | {
      kind: 'choice';
      caption: string;
      message: string;
      choices: PowerShellPromptChoice[];
      defaultChoice: number;
    }
  | { kind: 'text'; caption: string; message: string; fields: string[] };

export type PowerShellPromptAnswer =
  | { choice: number }
  | { text: string[] }
  /** Ctrl+C at the prompt. */
  | { cancelled: true };

/**
 * What `POST /powershell` and `POST /powershell/runs/{runId}/answer` answer: the next prompt of an
 * interactive run, or its end. `output` is the console text since the previous answer of the run.
 */
export type PowerShellRunAnswer =
  | { status: 'prompt'; runId: string; prompt: PowerShellPrompt; output: string }
  | ({ status: 'completed' | 'stopped'; runId: string } & PowerShellResult);

export const powerShellKeys = {
  completions: (line: string, cursor: number) =>
    ['powershell', 'completions', line, cursor] as const,
};

export interface RunPowerShellOptions {
  width?: number | undefined;
  /** The client's id for the run, to stop it while the request is open. */
  runId?: string;
  /** Answer early at each prompt (the console) instead of failing it. */
  interactive?: boolean;
  /**
   * The console session: the server keeps its jobs, variables and functions from one command to
   * the next (an id it does not know opens a new session).
   */
  sessionId?: string;
}

export function runPowerShell(
  script: string,
  options: RunPowerShellOptions = {},
): Promise<PowerShellRunAnswer> {
  const { width, runId, interactive, sessionId } = options;
  return request<PowerShellRunAnswer>('/powershell', {
    method: 'POST',
    body: {
      script,
      // The console shows the text: the output objects (most of a large answer) are left out.
      objects: false,
      ...(width === undefined ? {} : { width }),
      ...(runId === undefined ? {} : { runId }),
      ...(interactive === undefined ? {} : { interactive }),
      ...(sessionId === undefined ? {} : { sessionId }),
    },
  });
}

/** Answers the pending prompt of a run; resolves with its next prompt or its end. */
export function answerPowerShellPrompt(
  runId: string,
  answer: PowerShellPromptAnswer,
): Promise<PowerShellRunAnswer> {
  return request<PowerShellRunAnswer>(`/powershell/runs/${encodeURIComponent(runId)}/answer`, {
    method: 'POST',
    body: { answer },
  });
}

/** Stops a run (Ctrl+C); resolves once it ended. */
export function stopPowerShellRun(runId: string): Promise<{ runId: string; status: 'stopped' }> {
  return request(`/powershell/runs/${encodeURIComponent(runId)}/stop`, { method: 'POST' });
}

/** Tab completion of cmdlet and parameter names at `cursor`. */
export const powerShellCompletionsQuery = (line: string, cursor: number) =>
  queryOptions({
    queryKey: powerShellKeys.completions(line, cursor),
    queryFn: async ({ signal }) => {
      const query = new URLSearchParams({ line, cursor: String(cursor) });
      const answer = await request<{ completions: string[] }>(
        `/powershell/completions?${query.toString()}`,
        { signal },
      );
      return answer.completions;
    },
    staleTime: Infinity,
  });
