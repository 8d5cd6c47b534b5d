/**
 * `npm run accounts -w @hvm/server -- <command>`: manages the accounts in the data folder of
 * HYPERV_DATA_DIR (see accountsCommand.ts). The password comes from standard input: typed
 * (hidden) at a terminal, or piped (`printf '%s' "$PASSWORD" | npm run accounts ...`).
 */
import { EnvError, invocationDirectory, readEnv } from '../env.js';
import { accountStore, AccountsFileError } from './accountStore.js';
import { AccountsCommandError, runAccountsCommand } from './accountsCommand.js';

async function readPipedPassword(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function readTypedPassword(): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stdout.write('Password: ');
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let password = '';
    const onData = (key: string): void => {
      for (const character of key) {
        if (character === '\r' || character === '\n' || character === '\u0004') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stdout.write('\n');
          resolve(password);
          return;
        }
        if (character === '\u0003') process.exit(130);
        if (character === '\u007f' || character === '\b') password = password.slice(0, -1);
        else password += character;
      }
    };
    stdin.on('data', onData);
  });
}

async function main(): Promise<void> {
  const env = readEnv(process.env, invocationDirectory());
  await runAccountsCommand(process.argv.slice(2), {
    store: accountStore(env.dataDir),
    readPassword: () => (process.stdin.isTTY ? readTypedPassword() : readPipedPassword()),
    print: (line) => console.log(line),
  });
}

main().catch((error: unknown) => {
  const known =
    error instanceof AccountsCommandError ||
    error instanceof EnvError ||
    error instanceof AccountsFileError;
  console.error(known ? error.message : error);
  process.exit(1);
});
