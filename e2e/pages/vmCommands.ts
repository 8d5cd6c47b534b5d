import { expect, type Locator } from '@playwright/test';

/** The VM context menu, in Hyper-V Manager's order. */
export const VM_MENU = [
  'Connect...',
  'Settings...',
  'Start',
  'Turn Off...',
  'Shut Down...',
  'Save',
  'Pause',
  'Resume',
  'Reset',
  'Delete Saved State...',
  'Checkpoint',
  'Revert...',
  'Export...',
  'Rename...',
  'Delete...',
  'Help',
] as const;
export type VmCommand = (typeof VM_MENU)[number];

/**
 * Which VM commands can be chosen in each state (Revert... also needs a checkpoint). Connect...
 * is there in every state: an Off VM's window offers Start.
 */
export const ENABLED_WHEN: Record<'Off' | 'Running' | 'Paused' | 'Saved', readonly VmCommand[]> = {
  Off: [
    'Connect...',
    'Settings...',
    'Start',
    'Checkpoint',
    'Export...',
    'Rename...',
    'Delete...',
    'Help',
  ],
  Running: [
    'Connect...',
    'Settings...',
    'Turn Off...',
    'Shut Down...',
    'Save',
    'Pause',
    'Reset',
    'Checkpoint',
    'Export...',
    'Rename...',
    'Help',
  ],
  Paused: [
    'Connect...',
    'Settings...',
    'Turn Off...',
    'Save',
    'Resume',
    'Reset',
    'Checkpoint',
    'Export...',
    'Rename...',
    'Help',
  ],
  Saved: [
    'Connect...',
    'Settings...',
    'Start',
    'Delete Saved State...',
    'Checkpoint',
    'Export...',
    'Rename...',
    'Delete...',
    'Help',
  ],
};

/** A section of the Actions pane lists `all` as buttons, and exactly `enabled` can be pressed. */
export async function expectActionButtons(
  section: Locator,
  all: readonly string[],
  enabled: readonly string[],
): Promise<void> {
  await expect(section.getByRole('listitem')).toHaveText([...all]);
  for (const caption of all) {
    const button = section.getByRole('button', { name: caption, exact: true });
    if (enabled.includes(caption)) await expect(button).toBeEnabled();
    else await expect(button).toBeDisabled();
  }
}
