import { buildVm, createTestHost } from '@hvm/engine/testing';
import { runPowerShell } from './src/index.ts';
const { host } = await createTestHost();
await buildVm(host, { name: 'Web-01', state: 'Running' });
await buildVm(host, { name: 'Db-01' });
for (const script of process.argv.slice(2)) {
  const r = await runPowerShell(host, script, { limits: { maxSteps: 100000 } });
  console.log('>>> ' + script + '\n' + r.output + `[exit ${r.exitCode}]`);
}
