/**
 * The screen of a VM whose guest runs under QEMU: its serial console in a terminal (xterm.js,
 * apps/web/README.md says why), live from the server's stream, sized to the window. What is typed
 * in it goes to the guest for users who may (Administrators: typing changes the guest, as power
 * actions do); for others the terminal only shows.
 *
 * While the terminal has the keyboard, keys go to the guest, as they do once VMConnect's screen
 * has the keyboard; Ctrl+Alt combinations (Ctrl+Alt+Break leaves full screen) and Alt+Space
 * (the window menu) stay the window's.
 */
import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { useEffect, useRef, useState } from 'react';
import type { VmId } from '@hvm/engine';
import { errorMessage } from '../../api/client';
import { openSerialConsole, SerialConsoleTyping } from '../../api/serialConsole';
import { captureImage } from './screenCapture';

/** What the window's Clipboard menu does with the console. */
export interface SerialConsoleControl {
  /** Types text into the guest, after what was typed before (only for users who may type). */
  type(text: string): void;
  /** A picture of the terminal as shown. */
  capture(): Promise<Blob>;
}

interface SerialConsoleScreenProps {
  vmId: VmId;
  /** Whether the user may type into the guest. */
  canType: boolean;
  /** The server the VM lives on (its window's, `currentHostPath()`); the selected one by default. */
  hostPath?: string;
  /** Gets the console's control while it is shown (null once it is gone). */
  onControl?: (control: SerialConsoleControl | null) => void;
}

/** Keys the window keeps while the terminal has the keyboard. */
function isWindowKey(e: KeyboardEvent): boolean {
  return (e.ctrlKey && e.altKey) || (e.altKey && e.key === ' ');
}

type StreamState = 'connecting' | 'connected' | 'reconnecting' | 'hostUnreachable' | 'ended';

export function SerialConsoleScreen({
  vmId,
  canType,
  hostPath,
  onControl,
}: SerialConsoleScreenProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const [stream, setStream] = useState<StreamState>('connecting');
  const [unreachable, setUnreachable] = useState('');
  const [refusal, setRefusal] = useState<string | null>(null);
  const onControlRef = useRef(onControl);
  useEffect(() => {
    onControlRef.current = onControl;
  }, [onControl]);

  useEffect(() => {
    const node = hostRef.current;
    if (node === null) return;
    const terminal = new Terminal({
      disableStdin: !canType,
      cursorBlink: canType,
      scrollback: 2000,
      fontFamily: 'Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace',
      fontSize: 14,
      theme: { background: '#000000', foreground: '#c0c0c0' },
    });
    const fit = new FitAddon();
    terminal.loadAddon(fit);
    terminal.open(node);
    const fitToWindow = () => {
      // Nothing to measure while the window is hidden or not laid out (tests, a closing window).
      if (node.clientWidth > 0 && node.clientHeight > 0) fit.fit();
    };
    fitToWindow();
    const resizes = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(fitToWindow);
    resizes?.observe(node);

    terminal.attachCustomKeyEventHandler((e) => !isWindowKey(e));
    const typing = new SerialConsoleTyping(
      vmId,
      (error) => setRefusal(errorMessage(error)),
      hostPath,
    );
    const typed = terminal.onData((data) => {
      if (!canType) return;
      setRefusal(null);
      typing.type(data);
    });
    const close = openSerialConsole(
      vmId,
      {
        backlog: (bytes) => {
          terminal.reset();
          terminal.write(bytes);
        },
        output: (bytes) => terminal.write(bytes),
        connection: (connected) =>
          // A server that cannot be reached stays said until the stream is back.
          setStream((was) =>
            connected ? 'connected' : was === 'hostUnreachable' ? was : 'reconnecting',
          ),
        hostUnreachable: (message) => {
          setUnreachable(message);
          setStream('hostUnreachable');
        },
        ended: () => setStream('ended'),
      },
      hostPath === undefined ? {} : { hostPath },
    );
    if (canType) terminal.focus();
    const screen = node.querySelector<HTMLElement>('.xterm-screen') ?? node;
    onControlRef.current?.({
      type: (text) => {
        if (!canType) return;
        setRefusal(null);
        typing.type(text);
      },
      capture: () => captureImage(screen),
    });
    return () => {
      onControlRef.current?.(null);
      close();
      typed.dispose();
      resizes?.disconnect();
      terminal.dispose();
    };
  }, [vmId, canType, hostPath]);

  return (
    <div className="serial-console">
      <div
        ref={hostRef}
        className="serial-console-terminal"
        role="group"
        aria-label="Serial console"
        onKeyDown={(e) => {
          // The guest's keys are the guest's: the window's shortcuts do not also act on them.
          if (!isWindowKey(e.nativeEvent)) e.stopPropagation();
        }}
      />
      {/* This product's words: VMConnect has no serial console. */}
      {stream === 'reconnecting' && (
        <p className="serial-console-note" role="status">
          The connection to the serial console was lost; connecting again...
        </p>
      )}
      {stream === 'hostUnreachable' && (
        // The gateway's message is Hyper-V Manager's; the sentence after it is ours.
        <p className="serial-console-note" role="status">
          {unreachable || 'The server of this virtual machine cannot be reached.'} The console
          connects again when the server is back.
        </p>
      )}
      {stream === 'ended' && (
        <p className="serial-console-note" role="status">
          The virtual machine was deleted.
        </p>
      )}
      {!canType && (
        <p className="serial-console-note">
          Only an administrator can type into the guest; its console is shown read-only.
        </p>
      )}
      {refusal !== null && (
        <p className="serial-console-note" role="alert">
          {refusal}
        </p>
      )}
    </div>
  );
}
