/**
 * Hyper-V Settings > User > Keyboard: where Windows key combinations (Alt+Tab, the Windows key...)
 * go while a Virtual Machine Connection window has the focus. Hyper-V Manager offers the physical
 * computer, the virtual machine, or the virtual machine only when running full-screen (its
 * default); it is a setting of each user, so it is kept per user in this browser's localStorage.
 *
 * Only kept: the simulated guests take no keyboard input (see VmConnectionWindow.tsx), so there is
 * nothing yet for Virtual Machine Connection to send the combinations to.
 */
export type KeyboardSetting = 'physical-computer' | 'virtual-machine' | 'full-screen';

export const KEYBOARD_OPTIONS: readonly { value: KeyboardSetting; caption: string }[] = [
  { value: 'physical-computer', caption: 'Use on the physical computer' },
  { value: 'virtual-machine', caption: 'Use on the virtual machine' },
  { value: 'full-screen', caption: 'Use on the virtual machine only when running full-screen' },
];

export const DEFAULT_KEYBOARD_SETTING: KeyboardSetting = 'full-screen';

const keyOf = (user: string): string => `hvm.keyboard.${user}`;

export function readKeyboardSetting(user: string): KeyboardSetting {
  try {
    const value = localStorage.getItem(keyOf(user));
    return KEYBOARD_OPTIONS.find((o) => o.value === value)?.value ?? DEFAULT_KEYBOARD_SETTING;
  } catch {
    return DEFAULT_KEYBOARD_SETTING;
  }
}

export function writeKeyboardSetting(user: string, setting: KeyboardSetting): void {
  try {
    localStorage.setItem(keyOf(user), setting);
  } catch {
    // Storage refused (private mode, quota): the choice lasts for this dialog only.
  }
}
