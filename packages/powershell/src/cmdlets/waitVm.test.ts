/** Wait-VM's -Delay and -For Reboot on a clock the test steps, with the host changed mid-wait. */
import type { Host, VmId } from '@hvm/engine';
import { buildVm, createTestHost } from '@hvm/engine/testing';
import { describe, expect, test } from 'vitest';
import { PowerShellSession, SteppingClock, runPowerShell } from '../index.js';

/** A clock that runs `action` once, at the first sleep that ends at or after `atMs`. */
function clockWith(atMs: number, action: () => Promise<unknown>): SteppingClock {
  let done = false;
  const clock: SteppingClock = new SteppingClock(async () => {
    if (done || clock.now() < atMs) return;
    done = true;
    await action();
  });
  return clock;
}

async function hostWith(
  name: string,
  state?: 'Running',
): Promise<{ host: Host; id: VmId; advance: (ms: number) => Promise<void> }> {
  const { host, clock } = await createTestHost();
  const vm = await buildVm(host, { name, ...(state ? { state } : {}) });
  return { host, id: vm.id, advance: (ms) => clock.advance(ms) };
}

describe('Wait-VM', () => {
  test('-Delay: the VM is looked at every -Delay seconds, so the wait ends at the first look after it is ready', async () => {
    const { host, id } = await hostWith('Db-01');
    const clock = clockWith(6000, () => host.changeVmState(id, 'start'));
    const result = await runPowerShell(host, 'Wait-VM -Name Db-01 -Delay 5', {
      session: new PowerShellSession({}, clock),
    });
    expect(result.output).toBe('');
    expect(clock.now()).toBe(10_000);
  });

  test('-For Reboot waits until the VM went down and runs again', async () => {
    const { host, id, advance } = await hostWith('Web-01', 'Running');
    // The host's clock moves with the script's; the restart happens between two looks.
    let restarted = false;
    const clock: SteppingClock = new SteppingClock(async (ms) => {
      await advance(ms);
      if (restarted || clock.now() < 3000) return;
      restarted = true;
      await host.changeVmState(id, 'turn-off');
      await host.changeVmState(id, 'start');
    });
    const result = await runPowerShell(host, '(Wait-VM -Name Web-01 -For Reboot -Passthru).State', {
      session: new PowerShellSession({}, clock),
    });
    expect(result.output).toBe('Running\n');
    expect(clock.now()).toBeGreaterThanOrEqual(3000);
  });

  test('-For MemoryOperations has nothing to wait for', async () => {
    const { host } = await hostWith('Db-01');
    const clock = new SteppingClock();
    const result = await runPowerShell(host, 'Wait-VM -Name Db-01 -For MemoryOperations', {
      session: new PowerShellSession({}, clock),
    });
    expect(result.output).toBe('');
    expect(clock.sleeps).toEqual([]);
  });

  test('an unknown VM is Hyper-V\u2019s not-found error; -TimeoutSec is -Timeout', async () => {
    const { host } = await hostWith('Db-01');
    const result = await runPowerShell(host, 'Wait-VM -Name Nope -TimeoutSec 1', {
      session: new PowerShellSession({}, new SteppingClock()),
    });
    expect(result.errors[0]?.message).toBe(
      'Hyper-V was unable to find a virtual machine with name "Nope".',
    );
  });
});
