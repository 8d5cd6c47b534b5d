/**
 * The Settings dialog's pages: the left list (groups, items, each item's one-line summary, the
 * drives indented under their controller) and the page each item shows. The dialog itself
 * (SettingsDialog.tsx) only holds the draft and the buttons.
 *
 * The device items (controllers, drives, network adapters) come from `devicePages.tsx`, after
 * Processor (Hyper-V Manager's order: Add Hardware, Firmware or BIOS, Security, Memory,
 * Processor, controllers, Network Adapter). The shapes they share are in `settingsPageTypes.ts`.
 */
import type { VmDetail } from '@hvm/engine';
import type { SettingsDraft } from './settingsDraft';
import { AddHardwarePage } from './AddHardwarePage';
import { AutomaticStartPage, AutomaticStopPage } from './AutomaticActionPages';
import { CheckpointsPage } from './CheckpointsPage';
import { BiosPage, FirmwarePage } from './FirmwarePage';
import { MemoryPage, ProcessorPage } from './MemoryProcessorPages';
import { devicePageEntries } from './devicePages';
import type { DeviceEditor } from './useDeviceDraft';
import type { PageContext, SettingsPageEntry, SettingsPageGroup } from './settingsPageTypes';
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

export function settingsPageGroups(
  vm: VmDetail,
  draft: SettingsDraft,
  devices: DeviceEditor,
): SettingsPageGroup[] {
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
      render: (c) => (
        <AddHardwarePage vm={c.vm} devices={c.devices} readOnly={c.readOnly} onAdded={c.select} />
      ),
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
    ...devicePageEntries(vm, devices),
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
