/**
 * The Settings dialog's device items: the controllers with their drives indented under them, then
 * the network adapters (Hyper-V Manager's order: ..., Processor, controllers, Network Adapter),
 * each with its page. Items added or removed in the dialog (`useDeviceDraft`) show at once; the
 * host gets them with OK / Apply.
 */
import type { HardDrive, VmDetail } from '@hvm/engine';
import type { PageContext, SettingsPageEntry } from './settingsPageTypes';
import { HardDrivePage } from './HardwarePages';
import { NetworkAdapterPage, type AdapterOnPage } from './NetworkAdapterPage';
import { PendingHardDrivePage, ScsiControllerPage, fileNameOf } from './ScsiControllerPage';
import { keptAdapters, keptControllers, switchChoiceOf, type ControllerRef } from './deviceDraft';
import {
  adapterPageId,
  controllerPageId,
  pendingDrivePageId,
  type DeviceEditor,
} from './useDeviceDraft';

const controllerNumberOf = (drive: HardDrive): { kind: string; number: number } => {
  const [kind = 'SCSI', place = '0:0'] = drive.controllerLocation.split(' ');
  return { kind, number: Number(place.split(':')[0] ?? 0) };
};

/** A controller's drives; `removable` offers Remove (a SCSI drive of a VM that is Off, no checkpoints). */
function drivePages(
  drives: readonly HardDrive[],
  removable?: { devices: DeviceEditor; controllerPage: string },
): SettingsPageEntry[] {
  return drives.map((drive) => ({
    id: `hard-drive:${drive.controllerLocation}`,
    caption: 'Hard Drive',
    summary: fileNameOf(drive.path),
    indent: 1 as const,
    render: (c: PageContext) => (
      <HardDrivePage
        hardDrives={[drive]}
        onInspect={c.onInspect}
        onRemove={
          removable === undefined || c.readOnly
            ? undefined
            : () => {
                removable.devices.removeExistingDrive(drive.controllerLocation);
                c.select(removable.controllerPage);
              }
        }
      />
    ),
  }));
}

/**
 * Generation 1's two IDE controllers, listed whether or not they hold drives: they are fixed in
 * the virtual machine (Microsoft's Msvm_IDEController class reference: "The IDE controller is
 * fixed in the virtual machine"; Get-VMIdeController lists controllers 0 and 1).
 */
function ideControllerPages(vm: VmDetail): SettingsPageEntry[] {
  return [0, 1].flatMap((number) => {
    const drives = vm.hardDrives.filter(
      (d) => controllerNumberOf(d).kind === 'IDE' && controllerNumberOf(d).number === number,
    );
    const caption = `IDE Controller ${number}`;
    return [
      {
        id: `controller:IDE ${number}`,
        caption,
        summary: null,
        indent: 0 as const,
        render: () => <ScsiControllerPage controller={caption} hardDrives={drives} />,
      },
      ...drivePages(drives),
    ];
  });
}

/** The VM's SCSI controllers (an older server's answer: as its drives show them). */
function scsiNumbers(vm: VmDetail): number[] {
  if (vm.scsiControllers !== undefined) return vm.scsiControllers.map((c) => c.controllerNumber);
  const used = vm.hardDrives
    .filter((d) => controllerNumberOf(d).kind === 'SCSI')
    .map((d) => controllerNumberOf(d).number);
  const count = Math.max(vm.generation === 2 ? 1 : 0, ...used.map((n) => n + 1));
  return Array.from({ length: count }, (_, n) => n);
}

function scsiControllerPages(vm: VmDetail, devices: DeviceEditor): SettingsPageEntry[] {
  const { draft } = devices;
  const kept = vm.scsiControllers === undefined ? scsiNumbers(vm) : keptControllers(vm, draft);
  const refs: ControllerRef[] = [
    ...kept.map((number) => ({ kind: 'existing' as const, number })),
    ...draft.addedControllers.map((key) => ({ kind: 'new' as const, key })),
  ];
  const canAddDrives = vm.state === 'Off' && vm.checkpointCount === 0;
  return refs.flatMap((ref) => {
    const drives =
      ref.kind === 'existing'
        ? vm.hardDrives.filter(
            (d) =>
              controllerNumberOf(d).kind === 'SCSI' &&
              controllerNumberOf(d).number === ref.number &&
              !draft.removedDrives.includes(d.controllerLocation),
          )
        : [];
    const pending = draft.addedDrives.filter((d) =>
      ref.kind === 'existing'
        ? d.controller.kind === 'existing' && d.controller.number === ref.number
        : d.controller.kind === 'new' && d.controller.key === ref.key,
    );
    const removeBlocked =
      vm.state !== 'Off'
        ? 'SCSI controllers can be removed only while the virtual machine is off.'
        : drives.length > 0
          ? 'Remove the drives attached to it first: this host does not remove drives with their controller.'
          : null;
    return [
      {
        id: controllerPageId(ref),
        caption: 'SCSI Controller',
        summary: null,
        indent: 0 as const,
        render: (c: PageContext) => (
          <ScsiControllerPage
            controller="SCSI Controller"
            hardDrives={drives}
            pendingDrives={pending}
            onAddDrive={
              canAddDrives && !c.readOnly ? () => c.select(devices.addDrive(ref)) : undefined
            }
            onRemove={
              c.readOnly
                ? undefined
                : () => {
                    devices.removeController(ref);
                    c.select('add-hardware');
                  }
            }
            removeBlocked={removeBlocked}
          />
        ),
      },
      ...drivePages(
        drives,
        canAddDrives ? { devices, controllerPage: controllerPageId(ref) } : undefined,
      ),
      ...pending.map((drive) => ({
        id: pendingDrivePageId(drive.key),
        caption: 'Hard Drive',
        summary: drive.path === '' ? null : fileNameOf(drive.path),
        indent: 1 as const,
        render: (c: PageContext) => (
          <PendingHardDrivePage
            path={drive.path}
            onPathChange={(path) => devices.setDrivePath(drive.key, path)}
            onRemove={() => {
              devices.removeDrive(drive.key);
              c.select(controllerPageId(ref));
            }}
          />
        ),
      })),
    ];
  });
}

function adapterPages(vm: VmDetail, devices: DeviceEditor): SettingsPageEntry[] {
  const { draft } = devices;
  const adapters: AdapterOnPage[] = [
    ...keptAdapters(vm, draft).map((a) => ({ ...a, pending: false })),
    ...draft.addedAdapters.map((a) => ({
      id: a.key,
      name: a.isLegacy ? 'Legacy Network Adapter' : 'Network Adapter',
      isLegacy: a.isLegacy,
      switchId: null,
      switchName: null,
      macAddress: null,
      pending: true,
    })),
  ];
  const hot = vm.state === 'Running' && vm.generation === 2;
  return adapters.map((adapter) => {
    const chosen = switchChoiceOf(draft, adapter.id, adapter.switchId);
    const removeBlocked =
      adapter.pending || vm.state === 'Off' || (hot && !adapter.isLegacy)
        ? null
        : 'This network adapter can be removed only while the virtual machine is off.';
    return {
      id: adapterPageId(adapter.id),
      caption: adapter.name,
      // The switch's name, or Not connected; a switch chosen on the page shows at once.
      summary:
        chosen === ''
          ? 'Not connected'
          : ((adapter.switchId === chosen ? adapter.switchName : devices.switchNameOf(chosen)) ??
            'Connected'),
      indent: 0 as const,
      render: (c: PageContext) => (
        <NetworkAdapterPage
          adapter={adapter}
          devices={devices}
          removeBlocked={c.readOnly ? "A checkpoint's settings cannot be changed." : removeBlocked}
          onRemoved={() => c.select('add-hardware')}
        />
      ),
    };
  });
}

export function devicePageEntries(vm: VmDetail, devices: DeviceEditor): SettingsPageEntry[] {
  return [
    ...(vm.generation === 1 ? ideControllerPages(vm) : []),
    ...scsiControllerPages(vm, devices),
    ...adapterPages(vm, devices),
  ];
}
