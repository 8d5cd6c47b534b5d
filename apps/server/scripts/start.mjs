#!/usr/bin/env node
// `npm start`: installs the dependencies when they are missing, builds the server, the web app and
// the hvps command line, and starts the product at http://127.0.0.1:8080 (PORT, HOST and HYPERV_DATA_DIR change that).
import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  run(npm, ['ci', '--no-audit', '--no-fund']);
}
run(npm, [
  'exec',
  '--',
  'turbo',
  'run',
  'build',
  '--filter=@hvm/server',
  '--filter=@hvm/web',
  '--filter=@hvm/hvps',
]);

const server = spawn(process.execPath, [join(root, 'apps/server/dist/main.js')], {
  cwd: root,
  stdio: 'inherit',
  env: process.env,
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal));
}
server.on('exit', (code) => process.exit(code ?? 0));
