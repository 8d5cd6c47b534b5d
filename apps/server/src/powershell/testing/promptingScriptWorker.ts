/**
 * A script worker for tests of the prompt round trip: it runs the script as the real worker does,
 * then asks one prompt through the run's prompter (as a cmdlet's ShouldProcess or a missing
 * mandatory parameter does) and prints the answer. A script `#text` asks a text prompt, any other a
 * choice prompt. Without a prompter (a non-interactive run) it fails the way PowerShell
 * -NonInteractive does.
 */
import { PowerShellRun } from '@hvm/powershell';
import type { HostPrompt, PowerShellResult } from '@hvm/powershell';
import { serveScripts } from '../scriptWorkerLoop.js';

const choicePrompt: HostPrompt = {
  kind: 'choice',
  caption: 'Confirm',
  message: 'Are you sure you want to perform this action?',
  choices: [
    { label: '&Yes', help: 'Continue with only the next step of the operation.' },
    { label: 'Yes to &All', help: 'Continue with all the steps of the operation.' },
    { label: '&No', help: 'Skip this operation and proceed with the next operation.' },
  ],
  defaultChoice: 0,
};

const textPrompt: HostPrompt = {
  kind: 'text',
  caption: 'cmdlet Checkpoint-VM at command pipeline position 1',
  message: 'Supply values for the following parameters:',
  fields: ['Name[0]'],
};

serveScripts((host, script, options) => {
  const inner = new PowerShellRun(host, script, options);
  let stopped = false;
  return {
    outputSoFar: () => inner.outputSoFar(),
    get stopped() {
      return stopped || inner.stopped;
    },
    async run(): Promise<PowerShellResult> {
      const before = await inner.run();
      if (options.prompt === undefined) {
        const message =
          'PowerShell is in NonInteractive mode. Read and Prompt functionality is not available.';
        return { ...before, output: `${before.output}${message}\n`, hadTerminatingError: true };
      }
      const answer = await options.prompt(script.startsWith('#text') ? textPrompt : choicePrompt);
      if ('cancelled' in answer) {
        stopped = true;
        return before;
      }
      const text = 'choice' in answer ? `choice ${answer.choice}` : `text ${answer.text.join(',')}`;
      return { ...before, output: `${before.output}${text}\n`, objects: [...before.objects, text] };
    },
  };
});
