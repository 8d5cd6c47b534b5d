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
  it("shows each of a real guest's adapters the addresses of the interface with its MAC address, none while Not connected", () => {
    const vm = {
      ...running,
      guestIpAddresses: ['10.0.2.15', '10.0.3.15'],
      guestAdapterIpAddresses: { a1: ['10.0.2.15'], a2: ['10.0.3.15'] },
    };
    expect(adapterIpAddresses(vm, first)).toEqual(['10.0.2.15']);
    expect(adapterIpAddresses(vm, second)).toEqual(['10.0.3.15']);
    expect(adapterIpAddresses(vm, { ...second, switchId: null })).toEqual([]);
    expect(adapterIpAddresses(vm, { id: 'a3', switchId: DEFAULT_SWITCH_ID })).toEqual([]);
  });

  it("from a server that reports no addresses by adapter, are all the first adapter's", () => {
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
