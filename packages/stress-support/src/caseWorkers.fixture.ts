/**
 * A worker for the runner's own tests: case 2 never ends, case 4 reports a problem, and every
 * other case ends at once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runCaseRange, type CaseRange } from './index.js';

const port = parentPort;
if (port === null) throw new Error('runs as a worker thread');
const done = await runCaseRange(workerData as CaseRange, async (index, seed) => {
  if (index === 2) for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
  if (index === 4) port.postMessage({ type: 'problem', index, seed });
  await Promise.resolve();
});
port.postMessage(done);
