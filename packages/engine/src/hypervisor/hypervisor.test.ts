import { describe, expect, it } from 'vitest';
import { parseHypervisorKind } from './hypervisor.js';

describe('the HYPERV_HYPERVISOR setting', () => {
  it('is the simulated hypervisor when unset, and accepts simulated and qemu in any case', () => {
    expect(parseHypervisorKind(undefined)).toBe('simulated');
    expect(parseHypervisorKind('')).toBe('simulated');
    expect(parseHypervisorKind('qemu')).toBe('qemu');
    expect(parseHypervisorKind(' QEMU ')).toBe('qemu');
    expect(parseHypervisorKind('Simulated')).toBe('simulated');
  });

  it('refuses anything else, naming the choices', () => {
    expect(() => parseHypervisorKind('kvm')).toThrow(/one of simulated, qemu.*'kvm'/);
  });
});
