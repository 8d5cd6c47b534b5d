import { describe, expect, it } from 'vitest';
import { DEFAULT_SWITCH_ID, adapterIpAddresses, type AddressSourceVm } from './networkAddresses.js';

const first = { id: 'a1', switchId: DEFAULT_SWITCH_ID };
const second = { id: 'a2', switchId: DEFAULT_SWITCH_ID };
const running: AddressSourceVm = {
  state: 'Running',
  guestImage: 'tiny-linux',
  integrationServices: { dataExchange: true },
  networkAdapters: [first, second],
};

describe("a network adapter's IP addresses", () => {
  it("are a real guest's own, on its first adapter only (the one it has a device for)", () => {
    const vm = { ...running, guestIpAddresses: ['10.0.2.15'] };
    expect(adapterIpAddresses(vm, first)).toEqual(['10.0.2.15']);
    expect(adapterIpAddresses(vm, second)).toEqual([]);
  });

  it('are none on a real guest whose first adapter is Not connected', () => {
    const adapter = { id: 'a1', switchId: null };
    const vm = { ...running, networkAdapters: [adapter], guestIpAddresses: [] };
    expect(adapterIpAddresses(vm, adapter)).toEqual([]);
  });

  it('are simulated for a simulated guest: one private address on the Default Switch, none once it stops', () => {
    const [address] = adapterIpAddresses(running, first);
    expect(address).toMatch(/^172\.(1[6-9]|2\d|3[01])\.\d+\.\d+$/);
    expect(adapterIpAddresses(running, first)).toEqual([address]);
    expect(adapterIpAddresses({ ...running, state: 'Off' }, first)).toEqual([]);
    expect(adapterIpAddresses(running, { id: 'a3', switchId: 'other' })).toEqual([]);
  });
});
