import { describe, expect, it } from 'vitest';
import { acceleratorForThisHost, chooseAccelerator } from './accelerator.js';

describe('choosing KVM or TCG', () => {
  it('is TCG when there is no KVM device, with the reason', async () => {
    await expect(chooseAccelerator({ kvmDevice: '/nonexistent/kvm' })).resolves.toEqual({
      accelerator: 'tcg',
      reason: '/nonexistent/kvm is not available',
    });
  });

  it('is TCG when there is no kernel to prove that KVM runs one', async () => {
    // /dev/null is readable and writable by everyone: it stands for a KVM device here.
    await expect(chooseAccelerator({ kvmDevice: '/dev/null' })).resolves.toEqual({
      accelerator: 'tcg',
      reason: 'there is no kernel to probe KVM with',
    });
  });

  it('is TCG when KVM does not run the probe kernel (here: QEMU is not even there)', async () => {
    const choice = await chooseAccelerator({
      kvmDevice: '/dev/null',
      probeKernel: '/nonexistent/vmlinuz',
      qemuBinary: '/nonexistent/qemu-system-x86_64',
      probeTimeoutMs: 5_000,
    });
    expect(choice.accelerator).toBe('tcg');
    expect(choice.reason).toMatch(/KVM did not run the probe kernel/);
  });

  it('is chosen once per process and said once in the log', async () => {
    const log: string[] = [];
    const options = { kvmDevice: '/nonexistent/kvm', log: (m: string) => log.push(m) };
    const first = await acceleratorForThisHost(options);
    const second = await acceleratorForThisHost(options);
    expect(second).toBe(first);
    expect(log).toEqual([
      'QEMU runs virtual machines with TCG: /nonexistent/kvm is not available.',
    ]);
  });
});
