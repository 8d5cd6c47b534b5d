/**
 * How the console shows a prompt of a running script and reads the user's line, as PowerShell's
 * console host does:
 * - a choice (ShouldProcess): the caption, the message, then
 *   `[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help (default is "Y"):`
 *   (the same line pipeline.ts prints for a declined confirmation); an empty line takes the default,
 *   a hot key or a whole label picks a choice, `?` lists `Y - <help>` for every choice and asks
 *   again, anything else asks again;
 * - values for missing mandatory parameters: the caption, "Supply values for the following
 *   parameters:" (the server's message) and one `Field:` line per field (about_Parameters).
 */
import type { PowerShellPrompt } from '../../api/powershell';

/**
 * Where a console session starts: the server gives every console session the drive `Files:\` at
 * its root (packages/powershell confinedRoot), so this is the location before the first answer.
 */
export const CONSOLE_HOME_LOCATION = 'Files:\\';

/**
 * The command prompt PowerShell's default `prompt` function writes: `PS`, the current location and
 * `>` (about_Prompts: "PS $($executionContext.SessionState.Path.CurrentLocation)$('>' *
 * ($nestedPromptLevel + 1)) "); the space after it is the one between the prompt and the command.
 */
export function locationPrompt(location: string): string {
  return `PS ${location}>`;
}

type ChoicePrompt = Extract<PowerShellPrompt, { kind: 'choice' }>;

/** The hot key of a label: the letter after `&`, upper case (`Yes to &All` → `A`). */
export function hotKey(label: string): string {
  const at = label.indexOf('&');
  return (at === -1 ? label.charAt(0) : label.charAt(at + 1)).toUpperCase();
}

export function labelText(label: string): string {
  return label.replace('&', '');
}

/** The lines above the prompt line: the caption and the message. */
export function promptIntro(prompt: PowerShellPrompt): string {
  return `\n${prompt.caption}\n${prompt.message}\n`;
}

/** What the prompt line shows before the user's answer. */
export function promptLabel(prompt: PowerShellPrompt, field: number): string {
  if (prompt.kind === 'text') return `${prompt.fields[field] ?? ''}:`;
  const choices = prompt.choices.map((c) => `[${hotKey(c.label)}] ${labelText(c.label)}`);
  const fallback = prompt.choices[prompt.defaultChoice];
  const byDefault = fallback === undefined ? '' : ` (default is "${hotKey(fallback.label)}")`;
  return `${[...choices, '[?] Help'].join('  ')}${byDefault}:`;
}

export type ChoiceReading = { choice: number } | { help: string } | { again: true };

/** Reads a line typed at a choice prompt. */
export function readChoice(prompt: ChoicePrompt, line: string): ChoiceReading {
  const typed = line.trim().toUpperCase();
  if (typed === '') return { choice: prompt.defaultChoice };
  if (typed === '?')
    return {
      help: prompt.choices.map((c) => `${hotKey(c.label)} - ${c.help}\n`).join(''),
    };
  const index = prompt.choices.findIndex(
    (c) => hotKey(c.label) === typed || labelText(c.label).toUpperCase() === typed,
  );
  return index === -1 ? { again: true } : { choice: index };
}
