import { describe, expect, it } from 'vitest';
import type { DetectOptions } from '@hvm/qemu';
import { hostHypervisor, qemuGuestImage } from './hypervisor.js';

describe('the host hypervisor chosen at startup', () => {
  it('is the simulation by default, and chooses no accelerator', async () => {
    let asked = false;
    const hypervisor = await hostHypervisor('simulated', {
      chooseAccelerator: () => {
        asked = true;
        return Promise.resolve({ accelerator: 'kvm', reason: 'x' });
      },
    });
    expect(hypervisor).toEqual({ kind: 'simulated' });
    expect(asked).toBe(false);
  });

  it('with QEMU, probes KVM with the guest image kernel and keeps the choice', async () => {
    const seen: DetectOptions[] = [];
    const hypervisor = await hostHypervisor('qemu', {
      probeKernel: () => Promise.resolve('/images/tiny-linux/vmlinuz'),
      chooseAccelerator: (options) => {
        seen.push(options);
        return Promise.resolve({ accelerator: 'tcg', reason: '/dev/kvm is not available' });
      },
      log: () => undefined,
    });
    expect(hypervisor).toEqual({ kind: 'qemu', accelerator: 'tcg' });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.probeKernel).toBe('/images/tiny-linux/vmlinuz');
  });

  it('with QEMU and no guest image, says why and chooses without a probe kernel', async () => {
    const lines: string[] = [];
    const seen: DetectOptions[] = [];
    const hypervisor = await hostHypervisor('qemu', {
      probeKernel: () => Promise.reject(new Error('the build failed')),
      chooseAccelerator: (options) => {
        seen.push(options);
        return Promise.resolve({ accelerator: 'tcg', reason: 'no kernel' });
      },
      log: (line) => lines.push(line),
    });
    expect(hypervisor).toEqual({ kind: 'qemu', accelerator: 'tcg' });
    expect(seen[0]?.probeKernel).toBeUndefined();
    expect(lines).toEqual([expect.stringContaining('the build failed')]);
  });

  it('gives the engine only the QEMU gallery images, refusing any other name', async () => {
    await expect(qemuGuestImage('windows-server-2016-sql')).rejects.toThrow(
      "'windows-server-2016-sql' is not a QEMU guest image",
    );
  });
});
