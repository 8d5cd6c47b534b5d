import { describe, expect, it } from 'vitest';
import { aVm } from '../../test/fixtures';
import {
  addBlockedReason,
  applyDeviceDraft,
  emptyDeviceDraft,
  type DeviceApi,
} from './deviceDraft';

function recordingApi(): { api: DeviceApi; calls: string[] } {
  const calls: string[] = [];
  const api: DeviceApi = {
    removeAdapter: (id) => Promise.resolve(calls.push(`remove adapter ${id}`)),
    setSwitch: (id, switchId) => Promise.resolve(calls.push(`switch ${id} ${switchId}`)),
    addAdapter: (input) => Promise.resolve(calls.push(`add adapter ${JSON.stringify(input)}`)),
    removeDrive: (location) => Promise.resolve(calls.push(`remove drive ${location}`)),
    removeController: (n) => Promise.resolve(calls.push(`remove controller ${n}`)),
    addController: () => Promise.resolve(calls.push('add controller')),
    addDrive: (n, path) => Promise.resolve(calls.push(`add drive ${n} ${path}`)),
  };
  return { api, calls };
}

describe('the Settings dialog’s pending hardware', () => {
  it('sends removals first, controllers from the highest number, and attaches drives to their final numbers', async () => {
    const vm = aVm({
      scsiControllers: [0, 1, 2].map((controllerNumber) => ({ controllerNumber })),
    });
    const { api, calls } = recordingApi();
    await applyDeviceDraft(
      vm,
      {
        ...emptyDeviceDraft(),
        removedDrives: ['SCSI 1:0'],
        removedControllers: [0, 1],
        addedControllers: ['n1'],
        addedDrives: [
          { key: 'd1', controller: { kind: 'existing', number: 2 }, path: 'a.vhdx' },
          { key: 'd2', controller: { kind: 'new', key: 'n1' }, path: 'b.vhdx' },
        ],
        addedAdapters: [{ key: 'x', isLegacy: false }],
        switchChoices: { x: 'lab' },
      },
      api,
    );
    expect(calls).toEqual([
      'add adapter {"isLegacy":false,"switchId":"lab"}',
      'remove drive SCSI 1:0',
      'remove controller 1',
      'remove controller 0',
      'add controller',
      'add drive 0 a.vhdx',
      'add drive 1 b.vhdx',
    ]);
  });

  it('Add Hardware keeps to Hyper-V’s limits and to what a running VM takes', () => {
    const vm = aVm({
      scsiControllers: [0, 1, 2, 3].map((controllerNumber) => ({ controllerNumber })),
    });
    expect(addBlockedReason(vm, emptyDeviceDraft(), 'SCSI Controller')).toBe(
      'A virtual machine has at most 4 SCSI controllers.',
    );
    const running = aVm({ state: 'Running' });
    expect(addBlockedReason(running, emptyDeviceDraft(), 'Network Adapter')).toBeNull();
    const gen1 = aVm({ state: 'Running', generation: 1 });
    expect(addBlockedReason(gen1, emptyDeviceDraft(), 'Legacy Network Adapter')).toBe(
      'This network adapter can be added only while the virtual machine is off.',
    );
  });
});
