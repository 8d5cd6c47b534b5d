/** The script worker's entry (see scriptWorkerLoop.ts): runs scripts with `PowerShellRun`. */
import { PowerShellRun } from '@hvm/powershell';
import { serveScripts } from './scriptWorkerLoop.js';

serveScripts(
  (host, script, options, onOutput) => new PowerShellRun(host, script, options, onOutput),
);
