import { useCallback, useRef, useState } from 'react';
import type { GuestConsole } from '@hvm/engine';
import { errorMessage } from '../../api/client';
import { clipboardKeystrokes } from './clipboardText';
import { copyImageToClipboard } from './screenCapture';
import type { SerialConsoleControl } from './SerialConsoleScreen';
import { VM_CONNECTION_SHORTCUTS } from './useVmConnectionCommands';
import type { WindowMenuItem } from './WindowMenuBar';

interface ClipboardMenuInput {
  guest: GuestConsole | undefined;
  /** The window shows the guest's serial console (a QEMU guest that is not Off or Saved). */
  serialConsoleShown: boolean;
  /** The user may type into the guest (the server's rule: Administrators). */
  canType: boolean;
}

export interface ClipboardMenu {
  items: WindowMenuItem[];
  /** What the last Clipboard command could not do, or null. */
  note: string | null;
  /** For SerialConsoleScreen's `onControl`. */
  setControl: (control: SerialConsoleControl | null) => void;
}

/**
 * VMConnect's Clipboard menu: Type clipboard text and Capture Screen (Ctrl+C, "Do a screen
 * capture": Microsoft, "Hyper-V Virtual Machine Connection", behaviour spec S24). The captions
 * are VMConnect's as the product's issue names them; Microsoft's page lists only the shortcut,
 * so they are [unverified] against a Microsoft source.
 *
 * - Type clipboard text types the clipboard's text into the serial console (clipboardText.ts
 *   says what is refused and why), for users who may type only. A simulated guest takes no
 *   keyboard input, so there it is greyed out.
 * - Capture Screen copies a picture of the serial console (screenCapture.ts); for a simulated
 *   guest, whose screen is its console text, that text.
 */
export function useClipboardMenu({
  guest,
  serialConsoleShown,
  canType,
}: ClipboardMenuInput): ClipboardMenu {
  const control = useRef<SerialConsoleControl | null>(null);
  const [hasControl, setHasControl] = useState(false);
  const [note, setNote] = useState<string | null>(null);
  const setControl = useCallback((next: SerialConsoleControl | null) => {
    control.current = next;
    setHasControl(next !== null);
  }, []);

  const serialConsole = serialConsoleShown && hasControl;
  const simulatedScreen = !serialConsoleShown && guest?.running === true && guest.os !== null;

  const typeClipboardText = async (): Promise<void> => {
    setNote(null);
    let text: string;
    try {
      text = await navigator.clipboard.readText();
    } catch (error) {
      setNote(`The clipboard could not be read: ${errorMessage(error)}`);
      return;
    }
    const keystrokes = clipboardKeystrokes(text);
    if ('refusal' in keystrokes) setNote(keystrokes.refusal);
    else control.current?.type(keystrokes.keys);
  };

  const captureScreen = async (): Promise<void> => {
    setNote(null);
    try {
      if (control.current !== null) {
        await copyImageToClipboard(control.current.capture());
      } else {
        await navigator.clipboard.writeText(guest?.lines.join('\n') ?? '');
      }
    } catch (error) {
      setNote(`The screen could not be copied to the clipboard: ${errorMessage(error)}`);
    }
  };

  const items: WindowMenuItem[] = [
    {
      id: 'typeClipboardText',
      caption: 'Type clipboard text',
      enabled: serialConsole && canType,
      run: () => void typeClipboardText(),
      // This product's words.
      note: serialConsoleShown
        ? canType
          ? 'Types the text on the clipboard into the guest.'
          : 'Only an administrator can type into the guest.'
        : 'Only a guest with a serial console takes typed text in this product.',
    },
    {
      id: 'capture',
      caption: 'Capture Screen',
      enabled: serialConsole || simulatedScreen,
      run: () => void captureScreen(),
      shortcut: VM_CONNECTION_SHORTCUTS.capture,
      note: serialConsoleShown
        ? 'Copies a picture of the console to the clipboard.'
        : 'Copies the guest console text.',
    },
  ];
  return { items, note, setControl };
}
