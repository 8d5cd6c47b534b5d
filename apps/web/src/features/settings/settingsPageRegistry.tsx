/**
 * The Settings dialog's pages: the left list (groups, items, each item's one-line summary, the
 * drives indented under their controller) and the page each item shows. The dialog itself
 * (SettingsDialog.tsx) only holds the draft and the buttons.
 *
 * The Network Adapter item comes after the controllers (Hyper-V Manager's order: Add Hardware,
 * Firmware or BIOS, Security, Memory, Processor, controllers, Network Adapter).
 */
import type { ReactNode } from 'react';
import type { HardDrive, VmDetail } from '@hvm/engine';
import type { HardwareProblems } from './hardwareDraft';
import type { SettingsDraft } from './settingsDraft';
import { AddHardwarePage } from './AddHardwarePage';
import { AutomaticStartPage, AutomaticStopPage } from './AutomaticActionPages';
import { CheckpointsPage } from './CheckpointsPage';
import { BiosPage, FirmwarePage } from './FirmwarePage';
import { HardDrivePage } from './HardwarePages';
import { NetworkAdapterPage, type NetworkAdapterChoice } from './NetworkAdapterPage';
import { MemoryPage, ProcessorPage } from './MemoryProcessorPages';
import { ScsiControllerPage, fileNameOf } from './ScsiControllerPage';
import { GuestSimulationPage } from './GuestSimulationPage';
import { SecurityPage } from './SecurityPage';
import { IntegrationServicesPage, NamePage } from './SettingsPages';
import {
  checkpointsSummary,
  firmwareSummary,
  integrationSummary,
  memorySummary,
  processorSummary,
  securitySummary,
  startActionSummary,
  stopActionSummary,
} from './pageSummaries';

/** What every page may need. */
export interface PageContext {
  vm: VmDetail;
  draft: SettingsDraft;
  onChange: (patch: Partial<SettingsDraft>) => void;
  problems: HardwareProblems;
  /** Why the Off-only settings cannot be changed now, or null. */
  lockedReason: string | null;
  onInspect: (path: string) => void;
  /** The Network Adapter page's switch choice, applied with OK / Apply. */
  network: NetworkAdapterChoice;
}

export interface SettingsPageEntry {
  id: string;
  caption: string;
  /** The line under the caption, or null. */
  summary: string | null;
  /** 1 for an item under another (a drive under its controller). */
  indent: 0 | 1;
  render: (context: PageContext) => ReactNode;
}

export interface SettingsPageGroup {
  title: 'Hardware' | 'Management' | 'Simulation';
  pages: SettingsPageEntry[];
}

/** Items after the controllers: the Network Adapter, with its switch under it. */
const HARDWARE_TAIL: ((vm: VmDetail) => SettingsPageEntry)[] = [
  (vm) => ({
    id: 'network-adapter',
    caption: 'Network Adapter',
    summary: vm.networkAdapters?.[0]?.switchName ?? 'Not connected',
    indent: 0,
    render: (c) => <NetworkAdapterPage vm={c.vm} choice={c.network} />,
  }),
];

function controllerPages(vm: VmDetail): SettingsPageEntry[] {
  const controllers = new Map<string, HardDrive[]>();
  for (const drive of vm.hardDrives) {
    const [kind = 'SCSI', place = '0:0'] = drive.controllerLocation.split(' ');
    const key = `${kind} ${place.split(':')[0] ?? '0'}`;
    controllers.set(key, [...(controllers.get(key) ?? []), drive]);
  }
  // A generation 2 VM always shows its SCSI Controller, even with no drive.
  if (vm.generation === 2 && controllers.size === 0) controllers.set('SCSI 0', []);
  return [...controllers.entries()].flatMap(([key, drives]) => {
    const [kind, number] = key.split(' ');
    const caption = kind === 'IDE' ? `IDE Controller ${number ?? 0}` : 'SCSI Controller';
    return [
      {
        id: `controller:${key}`,
        caption,
        summary: null,
        indent: 0 as const,
        render: () => <ScsiControllerPage controller={caption} hardDrives={drives} />,
      },
      ...drives.map((drive) => ({
        id: `hard-drive:${drive.controllerLocation}`,
        caption: 'Hard Drive',
        summary: fileNameOf(drive.path),
        indent: 1 as const,
        render: (c: PageContext) => <HardDrivePage hardDrives={[drive]} onInspect={c.onInspect} />,
      })),
    ];
  });
}

export function settingsPageGroups(vm: VmDetail, draft: SettingsDraft): SettingsPageGroup[] {
  const generation = vm.generation;
  const firmwareProps = (c: PageContext) => ({
    draft: c.draft,
    onChange: c.onChange,
    hardDrives: c.vm.hardDrives,
    lockedReason: c.lockedReason,
  });
  const hardware: SettingsPageEntry[] = [
    {
      id: 'add-hardware',
      caption: 'Add Hardware',
      summary: null,
      indent: 0,
      render: (c) => <AddHardwarePage generation={generation} lockedReason={c.lockedReason} />,
    },
    generation === 2
      ? {
          id: 'firmware',
          caption: 'Firmware',
          summary: firmwareSummary(draft, 2),
          indent: 0,
          render: (c) => <FirmwarePage {...firmwareProps(c)} />,
        }
      : {
          id: 'bios',
          caption: 'BIOS',
          summary: firmwareSummary(draft, 1),
          indent: 0,
          render: (c) => <BiosPage {...firmwareProps(c)} />,
        },
    ...(generation === 2
      ? [
          {
            id: 'security',
            caption: 'Security',
            summary: securitySummary(draft),
            indent: 0 as const,
            render: (c: PageContext) => (
              <SecurityPage draft={c.draft} onChange={c.onChange} lockedReason={c.lockedReason} />
            ),
          },
        ]
      : []),
    {
      id: 'memory',
      caption: 'Memory',
      summary: memorySummary(draft),
      indent: 0,
      render: (c) => <MemoryPage {...c} />,
    },
    {
      id: 'processor',
      caption: 'Processor',
      summary: processorSummary(draft),
      indent: 0,
      render: (c) => <ProcessorPage {...c} />,
    },
    ...controllerPages(vm),
    ...HARDWARE_TAIL.map((entry) => entry(vm)),
  ];
  const management: SettingsPageEntry[] = [
    {
      id: 'name',
      caption: 'Name',
      summary: draft.name,
      indent: 0,
      render: (c) => <NamePage draft={c.draft} onChange={c.onChange} />,
    },
    {
      id: 'integration',
      caption: 'Integration Services',
      summary: integrationSummary(draft),
      indent: 0,
      render: (c) => <IntegrationServicesPage draft={c.draft} onChange={c.onChange} />,
    },
    {
      id: 'checkpoints',
      caption: 'Checkpoints',
      summary: checkpointsSummary(draft),
      indent: 0,
      render: (c) => (
        <CheckpointsPage
          draft={c.draft}
          onChange={c.onChange}
          checkpointCount={c.vm.checkpointCount}
        />
      ),
    },
    {
      id: 'start-action',
      caption: 'Automatic Start Action',
      summary: startActionSummary(draft),
      indent: 0,
      render: (c) => <AutomaticStartPage draft={c.draft} onChange={c.onChange} />,
    },
    {
      id: 'stop-action',
      caption: 'Automatic Stop Action',
      summary: stopActionSummary(draft),
      indent: 0,
      render: (c) => <AutomaticStopPage draft={c.draft} onChange={c.onChange} />,
    },
  ];
  // Not Hyper-V's: the simulated guest's faults, changed at once outside OK and Apply.
  const simulation: SettingsPageEntry[] = [
    {
      id: 'guest-simulation',
      caption: 'Guest (simulation)',
      summary: null,
      indent: 0,
      render: (c) => <GuestSimulationPage vm={c.vm} />,
    },
  ];
  return [
    { title: 'Hardware', pages: hardware },
    { title: 'Management', pages: management },
    { title: 'Simulation', pages: simulation },
  ];
}
