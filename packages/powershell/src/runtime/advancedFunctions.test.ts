/** Advanced functions ask for a missing mandatory parameter as a cmdlet does (about_Functions_Advanced_Parameters). */
import { createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import type { HostPrompt, HostPromptAnswer, HostPrompter } from '../index.js';
import { runPowerShell } from '../index.js';

function user(answers: HostPromptAnswer[]): { prompt: HostPrompter; seen: HostPrompt[] } {
  const seen: HostPrompt[] = [];
  const prompt: HostPrompter = (p) => {
    seen.push(p);
    return Promise.resolve(answers.shift() ?? { cancelled: true });
  };
  return { prompt, seen };
}

const script = `function Get-Greeting { [CmdletBinding()] param([Parameter(Mandatory)][string]$Name, [int]$Times = 1) "hello $Name x$Times" }
Get-Greeting -Times 2`;

describe('a missing mandatory parameter of an advanced function', () => {
  test('is asked for in the console, with the cmdlet prompt PowerShell shows', async () => {
    const { host } = await createTestHost();
    const { prompt, seen } = user([{ text: ['Ops'] }]);
    const r = await runPowerShell(host, script, { prompt });
    expect(seen[0]).toMatchObject({
      kind: 'text',
      caption: 'cmdlet Get-Greeting at command pipeline position 1',
      message: 'Supply values for the following parameters:',
      fields: ['Name'],
    });
    expect(r.output).toBe('hello Ops x2\n');
  });

  test('fails with MissingMandatoryParameter when no one can answer', async () => {
    const { host } = await createTestHost();
    const r = await runPowerShell(host, script);
    expect(r.errors.map((e) => e.fullyQualifiedErrorId)).toEqual([
      'MissingMandatoryParameter,Get-Greeting',
    ]);
  });
});
