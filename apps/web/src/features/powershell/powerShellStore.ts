/**
 * The PowerShell console's UI state: whether the pane is open, the scrollback, and the command
 * history (kept in localStorage, like PSReadLine's history file).
 */
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { PowerShellConsoleMessage, PowerShellErrorRecord } from '../../api/powershell';
import { CONSOLE_HOME_LOCATION, locationPrompt } from './consolePrompt';

export const HISTORY_STORAGE_KEY = 'hvm.powershell.history';
export const MAX_HISTORY = 200;
const MAX_SCROLLBACK = 500;

export interface ConsoleEntry {
  id: number;
  /** The prompt the command was typed at (`PS Files:\>`): the location as it was then. */
  prompt: string;
  command: string;
  /** Null while the command runs. */
  output: string | null;
  /** While the command runs: what it printed so far (text before a prompt, the prompt, answers). */
  partial: string;
  errors: PowerShellErrorRecord[];
  /** The warning, verbose and debug lines of `output`, shown in yellow as PowerShell does. */
  messages: PowerShellConsoleMessage[];
  /** A message of the client or the server when the command could not run at all. */
  failure: string | null;
}

interface PowerShellState {
  open: boolean;
  /** Bumped by `show`: the console puts the focus on its prompt each time. */
  focusRequest: number;
  history: string[];
  entries: ConsoleEntry[];
  /** The session's location as the last answer gave it (Set-Location moves it). */
  location: string;
  /** Opens the pane (or focuses it when it is open). */
  show: () => void;
  close: () => void;
  remember: (command: string) => void;
  /** Adds a command line to the scrollback; answers its id. */
  begin: (command: string) => number;
  /** Adds text to a running command's output so far. */
  append: (id: number, text: string) => void;
  finish: (
    id: number,
    result: {
      output: string;
      errors: PowerShellErrorRecord[];
      messages?: PowerShellConsoleMessage[];
      failure?: string;
      /** Where the script left the session; absent from servers older than it. */
      location?: string;
    },
  ) => void;
  clearScrollback: () => void;
}

let nextEntryId = 1;

export const usePowerShellStore = create<PowerShellState>()(
  persist(
    (set) => ({
      open: false,
      focusRequest: 0,
      history: [],
      entries: [],
      location: CONSOLE_HOME_LOCATION,
      show: () => set((s) => ({ open: true, focusRequest: s.focusRequest + 1 })),
      close: () => set({ open: false }),
      remember: (command) =>
        set((s) => {
          if (command.trim() === '' || s.history[s.history.length - 1] === command) return s;
          return { history: [...s.history, command].slice(-MAX_HISTORY) };
        }),
      begin: (command) => {
        const id = nextEntryId++;
        set((s) => ({
          entries: [
            ...s.entries,
            {
              id,
              prompt: locationPrompt(s.location),
              command,
              output: null,
              partial: '',
              errors: [],
              messages: [],
              failure: null,
            },
          ].slice(-MAX_SCROLLBACK),
        }));
        return id;
      },
      append: (id, text) =>
        set((s) => ({
          entries: s.entries.map((e) => (e.id === id ? { ...e, partial: e.partial + text } : e)),
        })),
      finish: (id, { output, errors, messages, failure, location }) =>
        set((s) => ({
          location: location ?? s.location,
          entries: s.entries.map((e) =>
            e.id === id
              ? { ...e, output, errors, messages: messages ?? [], failure: failure ?? null }
              : e,
          ),
        })),
      clearScrollback: () => set({ entries: [] }),
    }),
    {
      name: HISTORY_STORAGE_KEY,
      storage: createJSONStorage(() => localStorage),
      partialize: (s) => ({ history: s.history }),
      version: 1,
    },
  ),
);

/** Puts the store back to its first state (tests). */
export function resetPowerShellStore(): void {
  usePowerShellStore.setState({
    open: false,
    focusRequest: 0,
    history: [],
    entries: [],
    location: CONSOLE_HOME_LOCATION,
  });
}
