import type { HostPrompt } from '@hvm/powershell';
import { describe, expect, it } from 'vitest';
import { choiceLine, terminalPrompter } from './terminalPrompt.js';

const confirm: HostPrompt = {
  kind: 'choice',
  caption: 'Confirm',
  message: 'Are you sure you want to remove virtual machine "Web"?',
  choices: [
    { label: '&Yes', help: 'Continue with only the next step of the operation.' },
    { label: 'Yes to &All', help: 'Continue with all the steps of the operation.' },
    { label: '&No', help: 'Skip this operation and proceed with the next operation.' },
    { label: 'No to A&ll', help: 'Skip this operation and all subsequent operations.' },
    { label: '&Suspend', help: 'Pause the current pipeline.' },
  ],
  defaultChoice: 0,
};

/** A terminal whose user types `lines` (null: Ctrl+C), recording what the screen shows. */
function terminal(lines: (string | null)[]) {
  let screen = '';
  const prompter = terminalPrompter(
    (question) => {
      screen += question;
      const line = lines.shift();
      if (line === undefined) throw new Error('asked more than the user typed');
      if (line !== null) screen += `${line}\n`;
      return Promise.resolve(line);
    },
    (text) => (screen += text),
  );
  return { prompter, screen: () => screen };
}

describe('terminalPrompter', () => {
  it('shows the Confirm prompt as the console host does and takes a hot key in any case', async () => {
    const t = terminal(['l']);
    expect(await t.prompter(confirm)).toEqual({ choice: 3 });
    expect(t.screen()).toBe(
      '\nConfirm\nAre you sure you want to remove virtual machine "Web"?\n' +
        '[Y] Yes  [A] Yes to All  [N] No  [L] No to All  [S] Suspend  [?] Help (default is "Y"): l\n',
    );
  });

  it('takes the default on Enter, lists the help on ?, asks again on anything else', async () => {
    expect(await terminal(['']).prompter(confirm)).toEqual({ choice: 0 });
    const t = terminal(['?', 'maybe', 'n']);
    expect(await t.prompter(confirm)).toEqual({ choice: 2 });
    expect(t.screen()).toContain('Y - Continue with only the next step of the operation.\n');
    expect(t.screen()).toContain('L - Skip this operation and all subsequent operations.\n');
    expect(t.screen().split(choiceLine(confirm.choices, 0))).toHaveLength(4);
  });

  it('Ctrl+C cancels', async () => {
    expect(await terminal([null]).prompter(confirm)).toEqual({ cancelled: true });
  });

  it('asks each field of a mandatory-parameter prompt after its caption and message', async () => {
    const t = terminal(['Web']);
    const answer = await t.prompter({
      kind: 'text',
      caption: 'cmdlet Checkpoint-VM at command pipeline position 1',
      message: 'Supply values for the following parameters:',
      fields: ['Name[0]'],
    });
    expect(answer).toEqual({ text: ['Web'] });
    expect(t.screen()).toBe(
      '\ncmdlet Checkpoint-VM at command pipeline position 1\nSupply values for the following parameters:\nName[0]: Web\n',
    );
    const next = terminal(['']);
    await next.prompter({ kind: 'text', caption: '', message: '', fields: ['Name[1]'] });
    expect(next.screen()).toBe('Name[1]: \n');
  });
});
