/** The shapes of the Settings dialog's pages, shared by the page list and the device pages. */
import type { ReactNode } from 'react';
import type { VmDetail } from '@hvm/engine';
import type { HardwareProblems } from './hardwareDraft';
import type { SettingsDraft } from './settingsDraft';
import type { DeviceEditor } from './useDeviceDraft';

/** What every page may need. */
export interface PageContext {
  vm: VmDetail;
  draft: SettingsDraft;
  onChange: (patch: Partial<SettingsDraft>) => void;
  problems: HardwareProblems;
  /** Why the Off-only settings cannot be changed now, or null. */
  lockedReason: string | null;
  onInspect: (path: string) => void;
  /** The pending hardware (added and removed devices, switches), applied with OK / Apply. */
  devices: DeviceEditor;
  /** Shows another page (the item Add Hardware just added). */
  select: (pageId: string) => void;
  /** A checkpoint's settings: nothing can change. */
  readOnly: boolean;
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
