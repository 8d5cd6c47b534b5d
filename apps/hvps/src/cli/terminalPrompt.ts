/**
 * Answers PowerShell's prompts on a terminal, as the Windows PowerShell console host shows them
 * (PowerShell/PowerShell src/Microsoft.PowerShell.ConsoleHost/host/msh/ConsoleHostUserInterfacePrompt.cs
 * and ConsoleHostUserInterfacePromptForChoice.cs):
 *
 *     Confirm
 *     Are you sure you want to remove virtual machine "Web"?
 *     [Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help (default is "Y"):
 *
 *     cmdlet Checkpoint-VM at command pipeline position 1
 *     Supply values for the following parameters:
 *     Name[0]:
 *
 * An empty answer takes the default choice; `?` lists each choice's help and asks again; anything
 * else that is not a hot key asks again. End of input or Ctrl+C cancels (the run stops).
 */
import type { HostPrompt, HostPromptAnswer, HostPrompter, PromptChoice } from '@hvm/powershell';

/** Reads one line the user typed (without the newline); null at end of input or on Ctrl+C. */
export type ReadLine = (question: string) => Promise<string | null>;

/** `&Yes` → `Y`; `No to A&ll` → `L`. */
export function hotKeyOf(choice: PromptChoice): string {
  const at = choice.label.indexOf('&');
  return (at >= 0 ? (choice.label[at + 1] ?? '') : (choice.label[0] ?? '')).toUpperCase();
}

function plainLabel(choice: PromptChoice): string {
  return choice.label.replace('&', '');
}

/** `[Y] Yes  [A] Yes to All ... [?] Help (default is "Y"): ` */
export function choiceLine(choices: PromptChoice[], defaultChoice: number): string {
  const parts = choices.map((c) => `[${hotKeyOf(c)}] ${plainLabel(c)}`);
  const fallback = choices[defaultChoice];
  const defaultText = fallback ? ` (default is "${hotKeyOf(fallback)}")` : '';
  return `${[...parts, '[?] Help'].join('  ')}${defaultText}: `;
}

function heading(caption: string, message: string): string {
  const lines = [caption, message].filter((line) => line !== '');
  return lines.length === 0 ? '' : `\n${lines.join('\n')}\n`;
}

async function askChoice(
  prompt: Extract<HostPrompt, { kind: 'choice' }>,
  readLine: ReadLine,
  write: (text: string) => void,
): Promise<HostPromptAnswer> {
  write(heading(prompt.caption, prompt.message));
  for (;;) {
    const line = await readLine(choiceLine(prompt.choices, prompt.defaultChoice));
    if (line === null) return { cancelled: true };
    const typed = line.trim().toUpperCase();
    if (typed === '') return { choice: prompt.defaultChoice };
    if (typed === '?') {
      for (const c of prompt.choices) write(`${hotKeyOf(c)} - ${c.help}\n`);
      continue;
    }
    const index = prompt.choices.findIndex(
      (c) => hotKeyOf(c) === typed || plainLabel(c).toUpperCase() === typed,
    );
    if (index >= 0) return { choice: index };
  }
}

async function askText(
  prompt: Extract<HostPrompt, { kind: 'text' }>,
  readLine: ReadLine,
  write: (text: string) => void,
): Promise<HostPromptAnswer> {
  write(heading(prompt.caption, prompt.message));
  const text: string[] = [];
  for (const field of prompt.fields) {
    const line = await readLine(`${field}: `);
    if (line === null) return { cancelled: true };
    text.push(line);
  }
  return { text };
}

/** A prompter that asks on the terminal through `readLine`, writing headings with `write`. */
export function terminalPrompter(readLine: ReadLine, write: (text: string) => void): HostPrompter {
  return (prompt) =>
    prompt.kind === 'choice'
      ? askChoice(prompt, readLine, write)
      : askText(prompt, readLine, write);
}
