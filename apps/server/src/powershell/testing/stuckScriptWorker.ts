/**
 * A script worker for tests of ending a worker: the script `hang` spins inside one step, where
 * no stop request can be seen (as a cmdlet's own endless loop would); others run as usual.
 */
import { PowerShellRun } from '@hvm/powershell';
import { serveScripts } from '../scriptWorkerLoop.js';

serveScripts((host, script, options) => {
  if (script !== 'hang') return new PowerShellRun(host, script, options);
  return {
    outputSoFar: () => '',
    stopped: false,
    run: () => {
      for (;;) {
        // spins until the worker is terminated
      }
    },
  };
});
