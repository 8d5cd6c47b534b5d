import { describe, expect, it } from 'vitest';
import { parseGuestSerialLine } from './serialLine.js';

describe('parseGuestSerialLine', () => {
  it('reads the boot line with its boot id and whether the agent runs', () => {
    expect(parseGuestSerialLine('HVM-BOOT id=4d388a22abe8 agent=1')).toEqual({
      kind: 'boot',
      bootId: '4d388a22abe8',
      agent: true,
    });
    expect(parseGuestSerialLine('HVM-BOOT id=4d388a22abe8 agent=0\r')).toMatchObject({
      agent: false,
    });
  });

  it('reads the checker result: committed records, a torn tail, or why it failed', () => {
    expect(parseGuestSerialLine('HVM-LEDGER-CHECK ok committed=136')).toEqual({
      kind: 'ledger-check',
      ok: true,
      committed: 136,
      tornTail: false,
    });
    expect(parseGuestSerialLine('HVM-LEDGER-CHECK ok committed=8 torn=1')).toMatchObject({
      committed: 8,
      tornTail: true,
    });
    expect(
      parseGuestSerialLine('HVM-LEDGER-CHECK fail record 3 of 6 is damaged or out of sequence'),
    ).toEqual({
      kind: 'ledger-check',
      ok: false,
      reason: 'record 3 of 6 is damaged or out of sequence',
    });
  });

  it('reads the ledger counters', () => {
    expect(
      parseGuestSerialLine('HVM-LEDGER committed=40 inflight=4 boot=aa339e475b37 uptime=35'),
    ).toEqual({
      kind: 'ledger',
      committed: 40,
      inflight: 4,
      bootId: 'aa339e475b37',
      uptimeSeconds: 35,
    });
  });

  it('reads HVM-READY and HVM-POWEROFF', () => {
    expect(parseGuestSerialLine('HVM-READY')).toEqual({ kind: 'ready' });
    expect(parseGuestSerialLine('HVM-POWEROFF')).toEqual({ kind: 'poweroff' });
  });

  it('ignores boot text and malformed lines', () => {
    for (const line of [
      '',
      '[   74.724343] reboot: Power down',
      'tiny-linux: /dev/vda mounted at /data',
      'HVM-READY now',
      'HVM-BOOT id=XYZ agent=1',
      'HVM-BOOT id=abc agent=2',
      'HVM-LEDGER committed=-1 inflight=4 boot=aa uptime=3',
      'HVM-LEDGER committed=1 inflight=4 uptime=3',
      'HVM-LEDGER-CHECK ok committed=x',
      'HVM-LEDGER-CHECK fail ',
      'HVM-LEDGER-CHECK maybe',
      'HVM-LEDGERS committed=1',
    ]) {
      expect(parseGuestSerialLine(line), line).toBeUndefined();
    }
  });
});
