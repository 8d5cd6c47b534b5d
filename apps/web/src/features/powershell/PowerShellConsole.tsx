import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { KeyboardEvent, RefObject } from 'react';
import { powerShellCompletionsQuery } from '../../api/powershell';
import { applyCompletion } from './completion';
import { locationPrompt, promptLabel, readChoice } from './consolePrompt';
import { splitConsoleText } from './consoleText';
import type { ConsoleEntry } from './powerShellStore';
import { usePowerShellStore } from './powerShellStore';
import { usePowerShellRun } from './usePowerShellRun';
import './powershell.css';

/** Commands the console answers itself instead of the server. */
const clearCommands = new Set(['cls', 'clear', 'clear-host']);

function EntryView({ entry, prompting }: { entry: ConsoleEntry; prompting: boolean }) {
  return (
    <div className="ps-entry">
      <div className="ps-command-line">
        {entry.prompt} {entry.command}
      </div>
      {entry.output === null ? (
        <>
          {entry.partial !== '' && <span>{entry.partial}</span>}
          {!prompting && (
            <div className="ps-running" aria-label="Running">
              …
            </div>
          )}
        </>
      ) : (
        <>
          {splitConsoleText(entry.output, entry.errors, entry.messages).map((segment, i) => (
            <span key={i} className={segment.kind === 'output' ? undefined : `ps-${segment.kind}`}>
              {segment.text}
            </span>
          ))}
          {entry.failure !== null && <span className="ps-error">{`${entry.failure}\n`}</span>}
        </>
      )}
    </div>
  );
}

/** Columns that fit in the scrollback, within what the server accepts (40-400). */
function useConsoleWidth(
  container: RefObject<HTMLElement | null>,
  probe: RefObject<HTMLElement | null>,
) {
  return () => {
    const charWidth = (probe.current?.getBoundingClientRect().width ?? 0) / 10;
    const available = container.current?.clientWidth ?? 0;
    if (charWidth <= 0 || available <= 0) return undefined;
    return Math.min(400, Math.max(40, Math.floor((available - 16) / charWidth)));
  };
}

/**
 * The PowerShell console pane: scrollback, prompt, history (Up/Down), Tab completion of cmdlet and
 * parameter names, Esc to clear the line, Ctrl+C to stop the running command. Runs go to `POST
 * /api/v1/powershell` as interactive runs: a confirmation or a missing parameter is asked on the
 * prompt line, as PowerShell's console asks it (consolePrompt.ts).
 */
export function PowerShellConsole() {
  const queryClient = useQueryClient();
  const entries = usePowerShellStore((s) => s.entries);
  const location = usePowerShellStore((s) => s.location);
  const history = usePowerShellStore((s) => s.history);
  const remember = usePowerShellStore((s) => s.remember);
  const close = usePowerShellStore((s) => s.close);
  const focusRequest = usePowerShellStore((s) => s.focusRequest);
  const clearScrollback = usePowerShellStore((s) => s.clearScrollback);
  const run = usePowerShellRun();
  const append = usePowerShellStore((s) => s.append);
  /** At a text prompt: the lines typed for the fields so far. */
  const [fieldLines, setFieldLines] = useState<string[]>([]);

  const [line, setLine] = useState('');
  /** Position in the history while walking it with Up/Down; null while editing a new line. */
  const [historyIndex, setHistoryIndex] = useState<number | null>(null);
  const [draft, setDraft] = useState('');
  const [candidates, setCandidates] = useState<string[]>([]);

  const input = useRef<HTMLInputElement>(null);
  const scrollback = useRef<HTMLDivElement>(null);
  const probe = useRef<HTMLSpanElement>(null);
  const pendingCursor = useRef<number | null>(null);
  const lineRef = useRef(line);
  /** Lines entered while a command runs: they run next, in order (the console's type-ahead). */
  const typeAhead = useRef<string[]>([]);
  useEffect(() => {
    lineRef.current = line;
  }, [line]);
  const width = useConsoleWidth(scrollback, probe);

  useEffect(() => {
    input.current?.focus();
  }, [focusRequest]);

  useLayoutEffect(() => {
    const cursor = pendingCursor.current;
    if (cursor !== null && input.current) {
      input.current.setSelectionRange(cursor, cursor);
      pendingCursor.current = null;
    }
  }, [line]);

  useEffect(() => {
    const el = scrollback.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [entries, candidates]);

  function setLineAt(next: string, cursor = next.length) {
    pendingCursor.current = cursor;
    setLine(next);
  }

  /** A line typed at a prompt of the running command answers it (or asks again). */
  function answerPrompt() {
    const active = run.prompt;
    if (active === null) return;
    const typed = line;
    setLine('');
    const label = promptLabel(active.prompt, fieldLines.length);
    append(active.entryId, `${label} ${typed}\n`);
    if (active.prompt.kind === 'text') {
      const lines = [...fieldLines, typed];
      if (lines.length < active.prompt.fields.length) {
        setFieldLines(lines);
        return;
      }
      setFieldLines([]);
      active.answer({ text: lines });
      return;
    }
    const reading = readChoice(active.prompt, typed);
    if ('choice' in reading) active.answer({ choice: reading.choice });
    else if ('help' in reading) append(active.entryId, reading.help);
  }

  /** Ctrl+C: stops the running command (and drops the lines typed ahead), else drops the line. */
  function interrupt() {
    setFieldLines([]);
    setLine('');
    setCandidates([]);
    if (run.isPending) {
      typeAhead.current = [];
      run.stop();
    }
  }

  function submit() {
    if (run.prompt !== null) {
      answerPrompt();
      return;
    }
    const command = line;
    setCandidates([]);
    setHistoryIndex(null);
    setDraft('');
    setLine('');
    remember(command);
    if (run.isPending || typeAhead.current.length > 0) {
      typeAhead.current.push(command);
      return;
    }
    execute(command);
  }

  /** The next line typed ahead, once the command before it has finished. */
  function runNext() {
    const next = typeAhead.current.shift();
    if (next !== undefined) execute(next);
  }

  function execute(command: string) {
    if (clearCommands.has(command.trim().toLowerCase())) {
      clearScrollback();
      runNext();
      return;
    }
    if (command.trim() === '') {
      usePowerShellStore.getState().finish(usePowerShellStore.getState().begin(command), {
        output: '',
        errors: [],
      });
      runNext();
      return;
    }
    run.mutate({ command, width: width() }, { onSettled: runNext });
  }

  function walkHistory(step: -1 | 1) {
    if (history.length === 0) return;
    if (step === -1) {
      const index = historyIndex === null ? history.length - 1 : Math.max(0, historyIndex - 1);
      if (historyIndex === null) setDraft(line);
      setHistoryIndex(index);
      setLineAt(history[index] ?? '');
    } else {
      if (historyIndex === null) return;
      if (historyIndex >= history.length - 1) {
        setHistoryIndex(null);
        setLineAt(draft);
      } else {
        setHistoryIndex(historyIndex + 1);
        setLineAt(history[historyIndex + 1] ?? '');
      }
    }
    setCandidates([]);
  }

  async function complete() {
    const asked = line;
    const cursor = input.current?.selectionStart ?? line.length;
    let found: string[];
    try {
      found = await queryClient.fetchQuery(powerShellCompletionsQuery(asked, cursor));
    } catch {
      return;
    }
    // The user typed on while the server answered: the answer is for another line.
    if (lineRef.current !== asked) return;
    setCandidates(found.length > 1 ? found : []);
    const completed = applyCompletion(asked, cursor, found);
    if (completed) setLineAt(completed.line, completed.cursor);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.ctrlKey && event.key.toLowerCase() === 'c') {
      const field = event.currentTarget;
      // With text selected, Ctrl+C copies it, as in PowerShell's console.
      if (field.selectionStart !== field.selectionEnd) return;
      event.preventDefault();
      interrupt();
      return;
    }
    switch (event.key) {
      case 'Enter':
        event.preventDefault();
        submit();
        return;
      case 'ArrowUp':
        event.preventDefault();
        walkHistory(-1);
        return;
      case 'ArrowDown':
        event.preventDefault();
        walkHistory(1);
        return;
      case 'Tab':
        if (event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
        event.preventDefault();
        void complete();
        return;
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        setLine('');
        setCandidates([]);
        setHistoryIndex(null);
        return;
      default:
        return;
    }
  }

  return (
    <section className="pane ps-pane" role="region" aria-labelledby="ps-pane-title">
      <div className="pane-title ps-title">
        <span id="ps-pane-title">PowerShell</span>
        <button
          type="button"
          className="ps-close"
          aria-label="Close PowerShell"
          title="Close"
          onClick={close}
        >
          ×
        </button>
      </div>
      <div
        className="ps-console"
        ref={scrollback}
        onMouseUp={() => {
          if (window.getSelection()?.toString() === '') input.current?.focus();
        }}
      >
        <span className="ps-probe" ref={probe} aria-hidden="true">
          0000000000
        </span>
        <div role="log" aria-label="PowerShell output" className="ps-log">
          {entries.map((entry) => (
            <EntryView key={entry.id} entry={entry} prompting={run.prompt?.entryId === entry.id} />
          ))}
        </div>
        <div className="ps-prompt-line">
          <label htmlFor="ps-input" className="ps-prompt">
            {run.prompt === null
              ? locationPrompt(location)
              : promptLabel(run.prompt.prompt, fieldLines.length)}
          </label>
          <input
            id="ps-input"
            ref={input}
            className="ps-input"
            aria-label="PowerShell command"
            aria-busy={run.isPending}
            autoComplete="off"
            autoCapitalize="off"
            autoCorrect="off"
            spellCheck={false}
            value={line}
            onChange={(event) => {
              setLine(event.target.value);
              setCandidates([]);
            }}
            onKeyDown={onKeyDown}
          />
        </div>
        {candidates.length > 0 && (
          <ul className="ps-candidates" aria-label="Completions">
            {candidates.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
