// The ledger's checker and record format, run on this machine with the guest's own busybox: the
// same script and awk program init runs on the data disk at boot.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inCi } from './testing/tools.js';

const rootfs = fileURLToPath(new URL('../build/rootfs/', import.meta.url));
const lib = path.join(rootfs, 'lib', 'hvm');
const busybox = '/bin/busybox';
const haveBusybox = spawnSync(busybox, ['true']).status === 0;

/** Records <first>..<first+count-1>, as the workload writes them. */
function records(first: number, count: number, boot = '0123456789ab'): string {
  return execFileSync(
    busybox,
    [
      'awk',
      '-v',
      'mode=gen',
      '-v',
      `first=${first}`,
      '-v',
      `count=${count}`,
      '-v',
      `boot=${boot}`,
      '-v',
      `seed=${first}`,
      '-f',
      path.join(lib, 'ledger.awk'),
    ],
    { encoding: 'utf8', input: '' },
  );
}

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hvm-ledger-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function check(contents: string | undefined): { line: string; status: number; after: string } {
  const ledger = path.join(dir, 'ledger.log');
  if (contents !== undefined) writeFileSync(ledger, contents);
  const result = spawnSync(
    busybox,
    ['sh', path.join(rootfs, 'bin', 'ledger-check'), '--repair', ledger],
    { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HVM_RUN_DIR: dir, HVM_LIB_DIR: lib } },
  );
  const after = contents === undefined ? '' : readFileSync(ledger, 'utf8');
  return { line: result.stdout.trim(), status: result.status ?? -1, after };
}

describe.skipIf(!haveBusybox && !inCi)('the ledger checker (busybox)', () => {
  it('finds busybox (busybox-static)', () => {
    expect(haveBusybox, 'busybox-static is not installed').toBe(true);
  });

  it('writes records with a sequence number and a checksum', () => {
    const lines = records(1, 3).trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    lines.forEach((line, i) => {
      expect(line).toMatch(new RegExp(`^${i + 1} 0123456789ab [0-9a-f]{16} [0-9a-f]{8}$`));
    });
  });

  it('passes an absent or empty ledger with no records', () => {
    expect(check(undefined).line).toBe('HVM-LEDGER-CHECK ok committed=0');
    expect(check('').line).toBe('HVM-LEDGER-CHECK ok committed=0');
  });

  it('passes a whole ledger and counts its committed records', () => {
    const result = check(records(1, 12));
    expect(result).toMatchObject({ line: 'HVM-LEDGER-CHECK ok committed=12', status: 0 });
    expect(readFileSync(path.join(dir, 'committed'), 'utf8').trim()).toBe('12');
  });

  it('reports a torn last record a crash left and cuts it off', () => {
    const whole = records(1, 8);
    const torn = records(9, 1).slice(0, 20);
    const result = check(whole + torn);
    expect(result).toMatchObject({ line: 'HVM-LEDGER-CHECK ok committed=8 torn=1', status: 0 });
    expect(result.after).toBe(whole);
    expect(statSync(path.join(dir, 'ledger.log')).size).toBe(Buffer.byteLength(whole));
  });

  it('treats a last record without its newline as torn, even when its text is whole', () => {
    const whole = records(1, 5);
    const result = check(whole + records(6, 1).trimEnd());
    expect(result.line).toBe('HVM-LEDGER-CHECK ok committed=5 torn=1');
    expect(result.after).toBe(whole);
  });

  it('fails a wrong checksum anywhere but a torn tail', () => {
    const lines = records(1, 6).split('\n');
    lines[2] = (lines[2] ?? '').replace(/[0-9a-f]$/, (c) => (c === '0' ? '1' : '0'));
    const result = check(lines.join('\n'));
    expect(result.status).not.toBe(0);
    expect(result.line).toBe('HVM-LEDGER-CHECK fail record 3 of 6 is damaged or out of sequence');
  });

  it('fails a damaged last record that has its newline (not what a crash leaves)', () => {
    const lines = records(1, 4).split('\n');
    lines[3] = (lines[3] ?? '').replace(/^4 /, '4 x');
    expect(check(lines.join('\n')).line).toMatch(/^HVM-LEDGER-CHECK fail record 4 of 4 /);
  });

  it('fails a gap or a repeat in the sequence', () => {
    expect(check(records(1, 3) + records(5, 2)).line).toMatch(
      /^HVM-LEDGER-CHECK fail record 4 of 5 /,
    );
    expect(check(records(1, 3) + records(3, 1)).line).toMatch(
      /^HVM-LEDGER-CHECK fail record 4 of 4 /,
    );
  });

  it('fails a ledger that does not start at 1', () => {
    expect(check(records(2, 3)).line).toMatch(/^HVM-LEDGER-CHECK fail record 1 of 3 /);
  });
});
