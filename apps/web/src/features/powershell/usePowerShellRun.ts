import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { errorMessage } from '../../api/client';
import { hostKeys } from '../../api/host';
import { answerPowerShellPrompt, runPowerShell, stopPowerShellRun } from '../../api/powershell';
import type { PowerShellPrompt, PowerShellPromptAnswer } from '../../api/powershell';
import { taskKeys } from '../../api/tasks';
import { vmKeys } from '../../api/vms';
import { promptIntro } from './consolePrompt';
import { usePowerShellStore } from './powerShellStore';

interface RunInput {
  command: string;
  width: number | undefined;
}

/** A prompt of the running command, waiting for the user's line(s). */
export interface ActivePrompt {
  prompt: PowerShellPrompt;
  /** The entry whose output shows the prompt and the answers. */
  entryId: number;
  answer: (answer: PowerShellPromptAnswer) => void;
}

/** What the entry shows so far: output before prompts, the prompts and the answers typed. */
function shownSoFar(entryId: number): string {
  return usePowerShellStore.getState().entries.find((e) => e.id === entryId)?.partial ?? '';
}

/**
 * A version 4 UUID. `crypto.randomUUID` exists only in secure contexts (HTTPS or localhost); over
 * plain HTTP on a network the same UUID is made from `getRandomValues`, which exists everywhere.
 */
export function newRunId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

let consoleSessionId: string | null = null;

/**
 * The console's PowerShell session, one per page: every command runs in it, so a job, variable or
 * function one command leaves is there for the next, as in a PowerShell console. The server opens
 * the session at the first command (and again, empty, after it expired).
 */
export function consoleSession(): string {
  consoleSessionId ??= newRunId();
  return consoleSessionId;
}

/**
 * Runs a command line as an interactive run and writes the answers into the scrollback: the text
 * before a prompt, then the prompt (the console reads the answer), then the rest. `stop` is
 * Ctrl+C. Afterwards the VM, checkpoint (under `['vms']`), task and host caches are refreshed; the
 * server's events update them as well.
 */
export function usePowerShellRun() {
  const queryClient = useQueryClient();
  const begin = usePowerShellStore((s) => s.begin);
  const append = usePowerShellStore((s) => s.append);
  const finish = usePowerShellStore((s) => s.finish);
  const [prompt, setPrompt] = useState<ActivePrompt | null>(null);
  const running = useRef<{ runId: string; prompt: ActivePrompt | null } | null>(null);

  const mutation = useMutation({
    mutationFn: async ({ command, width }: RunInput) => {
      const id = begin(command);
      const runId = newRunId();
      const run = { runId, prompt: null as ActivePrompt | null };
      running.current = run;
      try {
        let answer = await runPowerShell(command, {
          width,
          runId,
          interactive: true,
          sessionId: consoleSession(),
        });
        while (answer.status === 'prompt') {
          append(id, answer.output + promptIntro(answer.prompt));
          const asked = answer.prompt;
          const reply = await new Promise<PowerShellPromptAnswer>((resolve) => {
            run.prompt = { prompt: asked, entryId: id, answer: resolve };
            setPrompt(run.prompt);
          });
          run.prompt = null;
          setPrompt(null);
          answer = await answerPowerShellPrompt(runId, reply);
        }
        finish(id, {
          output: shownSoFar(id) + answer.output,
          errors: answer.errors,
          messages: answer.messages ?? [],
          ...(answer.location === undefined ? {} : { location: answer.location }),
        });
        return answer;
      } catch (error) {
        finish(id, { output: shownSoFar(id), errors: [], failure: errorMessage(error) });
        throw error;
      } finally {
        running.current = null;
        setPrompt(null);
      }
    },
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: vmKeys.all }),
        queryClient.invalidateQueries({ queryKey: taskKeys.all }),
        queryClient.invalidateQueries({ queryKey: hostKeys.host }),
      ]),
  });

  /** Ctrl+C: cancels the prompt, or stops the running script; the run then ends as stopped. */
  function stop(): void {
    const run = running.current;
    if (run === null) return;
    if (run.prompt !== null) {
      run.prompt.answer({ cancelled: true });
      return;
    }
    stopPowerShellRun(run.runId).catch(() => undefined);
  }

  return { ...mutation, prompt, stop };
}
