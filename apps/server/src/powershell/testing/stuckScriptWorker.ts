/**
 * A script worker for tests of ending a worker: a script whose last line is `hang` runs the lines
 * before it, then spins inside one step, where no stop request can be seen (as a cmdlet's own
 * endless loop would); other scripts run as usual.
 */
import { PowerShellRun } from '@hvm/powershell';
import { serveScripts } from '../scriptWorkerLoop.js';

serveScripts((host, script, options, onOutput) => {
  const lines = script.split('\n');
  if (lines[lines.length - 1] !== 'hang') return new PowerShellRun(host, script, options, onOutput);
  const before = new PowerShellRun(host, lines.slice(0, -1).join('\n'), options, onOutput);
  return {
    outputSoFar: () => before.outputSoFar(),
    stopped: false,
    run: async () => {
      if (lines.length > 1) await before.run();
      for (;;) {
        // spins until the worker is terminated
      }
    },
  };
});
