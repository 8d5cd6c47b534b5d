import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { errorMessage, isApiError } from '../../api/client';
import {
  windowGuestConsoleQuery,
  windowHostQuery,
  windowVmQuery,
} from '../../api/connectionWindow';
import { hostQuery } from '../../api/host';
import { vmsQuery } from '../../api/vms';
import { runIfEnabled } from '../../shared/commands';
import { hostPathOf, useSelectedHost } from '../../stores/selectedHostStore';
import { useUiStore } from '../../stores/uiStore';
import { useCan } from '../signIn/usePermissions';
import { GuestScreen } from './GuestScreen';
import { useClipboardMenu } from './useClipboardMenu';
import {
  isShortcut,
  useVmConnectionCommands,
  VM_CONNECTION_SHORTCUTS,
} from './useVmConnectionCommands';
import { cascadePlacement, useWindowPlacement } from './useWindowPlacement';
import { WindowSystemMenu } from './WindowSystemMenu';
import { useVmConnectionStore, type ConnectionWindow } from './vmConnectionStore';
import { VmConnectionToolbar } from './VmConnectionToolbar';
import { WindowMenuBar, type WindowMenu } from './WindowMenuBar';
import './console.css';

/**
 * The serial console's terminal (xterm.js) is loaded when a window first shows one, so that it is
 * not part of the app's first download.
 */
const SerialConsoleScreen = lazy(() =>
  import('./SerialConsoleScreen').then((module) => ({ default: module.SerialConsoleScreen })),
);

/** Windows sit above the main window and below modal dialogs (z-index 40) and menus (50). */
const BASE_Z_INDEX = 20;

interface VmConnectionWindowProps {
  /** The VM and the server it was opened on: the window stays with them. */
  connection: ConnectionWindow;
  /** Its place in the order of opening: where it first appears (cascaded). */
  openedIndex: number;
  /** Its place from back to front. */
  stackIndex: number;
}

/**
 * Virtual Machine Connection (VMConnect) for one VM: a window inside the page that does not
 * block the main window (several can be open beside it), with VMConnect's menu bar, toolbar,
 * the VM's screen and a status bar. It moves by its title bar and resizes by its corner, or by
 * keyboard with Move and Size of its window menu (Alt+Space, useWindowPlacement.ts); Esc
 * does not close it (VMConnect is not a dialog), its close button and File > Exit do.
 */
export function VmConnectionWindow({
  connection,
  openedIndex,
  stackIndex,
}: VmConnectionWindowProps) {
  const { key, vmId, hostPath } = connection;
  const titleId = useId();
  // On the selected server the window reads the main window's list, which this page's events
  // keep current; on another server, its own VM, polled (api/connectionWindow.ts).
  const onSelectedServer = useSelectedHost((s) => hostPathOf(s.hostId) === hostPath);
  const { data: listedVm } = useQuery({
    ...vmsQuery(),
    enabled: onSelectedServer,
    select: (vms) => vms.find((v) => v.id === vmId),
  });
  const { data: polledVm, error: vmError } = useQuery({
    ...windowVmQuery(hostPath, vmId),
    enabled: !onSelectedServer,
  });
  const { data: selectedHost } = useQuery({ ...hostQuery(), enabled: onSelectedServer });
  const { data: ownHost } = useQuery({ ...windowHostQuery(hostPath), enabled: !onSelectedServer });
  const host = onSelectedServer ? selectedHost : ownHost;
  const { data: guest, error } = useQuery(windowGuestConsoleQuery(hostPath, vmId));
  const vm = onSelectedServer ? listedVm : polledVm;
  // The VM's commands, the questions they ask first and what they read again go to the window's
  // own server, whichever one the main window has selected: a VMConnect window keeps working
  // whatever Hyper-V Manager shows.
  const commands = useVmConnectionCommands(vm, hostPath);
  // Typing into a guest changes it, as power actions do: the server allows it to Administrators.
  const canType = useCan('manageHost');
  const openDialog = useUiStore((s) => s.openDialog);
  const closeConnection = useVmConnectionStore((s) => s.closeConnection);
  const bringToFront = useVmConnectionStore((s) => s.bringToFront);
  const [toolbarShown, setToolbarShown] = useState(true);
  const [fullScreen, setFullScreen] = useState(false);
  const { placement, size, keyboardMode, beginKeyboard, keyboardKey, dragHandlers } =
    useWindowPlacement(cascadePlacement(openedIndex));
  const screenRef = useRef<HTMLDivElement>(null);
  const windowRef = useRef<HTMLDivElement>(null);
  const [systemMenuOpen, setSystemMenuOpen] = useState(false);
  const serialConsoleShown =
    vm !== undefined && guest?.serialConsole === true && vm.state !== 'Off' && vm.state !== 'Saved';
  const clipboard = useClipboardMenu({ guest, serialConsoleShown, canType });

  // The window takes the focus when it opens and gives it back when it closes.
  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    screenRef.current?.focus();
    return () => {
      if (previous?.isConnected) previous.focus();
    };
  }, []);

  const close = () => closeConnection(key);
  // A VM deleted on another server: its window closes (on the selected one, VmConnectionWindows).
  const gone = !onSelectedServer && isApiError(vmError) && vmError.status === 404;
  useEffect(() => {
    if (gone) closeConnection(key);
  }, [gone, key, closeConnection]);
  const focusScreen = () => screenRef.current?.focus();
  const name = vm?.name ?? guest?.vmName;

  const menus: WindowMenu[] = [
    {
      caption: 'File',
      items: [
        {
          id: 'settings',
          caption: 'Settings...',
          // The VM's Settings dialog on the window's own server, whichever server is selected
          // (useVmCommands passes it on: settings/settingsServer.ts).
          enabled: commands.byId('settings')?.enabled ?? false,
          run: () => commands.byId('settings')?.run(),
          shortcut: VM_CONNECTION_SHORTCUTS.settings,
        },
        { id: 'exit', caption: 'Exit', enabled: true, run: close, separatorBefore: true },
      ],
    },
    { caption: 'Action', items: commands.action },
    // Media is VMConnect's menu (S24: "Select Media" for a DVD image); the caption of its item
    // is this product's, as no stored source lists it. Nothing can be attached, so its one item
    // is greyed out and says why. Clipboard: useClipboardMenu.ts.
    {
      caption: 'Media',
      items: [
        {
          id: 'dvd',
          caption: 'DVD Drive',
          enabled: false,
          run: () => undefined,
          note: 'No DVD drive or media can be attached in this product.',
        },
      ],
    },
    { caption: 'Clipboard', items: clipboard.items },
    {
      caption: 'View',
      items: [
        {
          id: 'fullScreen',
          caption: 'Full Screen Mode',
          enabled: true,
          checked: fullScreen,
          run: () => setFullScreen(!fullScreen),
          note: 'Ctrl+Alt+Break returns to the window.',
        },
        {
          id: 'toolbar',
          caption: 'Toolbar',
          enabled: true,
          checked: toolbarShown,
          run: () => setToolbarShown(!toolbarShown),
        },
      ],
    },
    {
      caption: 'Help',
      items: [
        {
          id: 'help',
          caption: 'Help Topics',
          enabled: true,
          run: () => openDialog({ kind: 'help' }),
        },
      ],
    },
  ];

  // VMConnect's shortcuts (useVmConnectionCommands): they run the same command as the menu, only
  // where the menu has it enabled. Ctrl+Alt+End goes nowhere: the simulated guests take no
  // keyboard input, and a QEMU guest's serial console has no Ctrl+Alt+Delete.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // Moving or sizing by keyboard (after Move or Size): the arrows, Enter and Esc are its own.
    if (keyboardKey(e.key)) {
      e.preventDefault();
      e.stopPropagation();
      return;
    }
    // Alt+Space: the window menu, as in Windows.
    if (e.altKey && e.key === ' ' && !fullScreen) {
      e.preventDefault();
      e.stopPropagation();
      setSystemMenuOpen(true);
      return;
    }
    const shortcuts: [string, () => void][] = [
      [VM_CONNECTION_SHORTCUTS.start, () => runIfEnabled(commands.action, 'start')],
      [VM_CONNECTION_SHORTCUTS.checkpoint, () => runIfEnabled(commands.action, 'checkpoint')],
      [VM_CONNECTION_SHORTCUTS.revert, () => runIfEnabled(commands.action, 'revert')],
      [VM_CONNECTION_SHORTCUTS.settings, () => runIfEnabled(menus[0]?.items ?? [], 'settings')],
      [VM_CONNECTION_SHORTCUTS.ctrlAltDelete, () => undefined],
      [VM_CONNECTION_SHORTCUTS.leaveFullScreen, () => setFullScreen(false)],
    ];
    // Ctrl+C copies selected text as anywhere else; with nothing selected it captures the screen.
    if (window.getSelection()?.isCollapsed !== false) {
      shortcuts.push([
        VM_CONNECTION_SHORTCUTS.capture,
        () => runIfEnabled(clipboard.items, 'capture'),
      ]);
    }
    const match = shortcuts.find(([shortcut]) => isShortcut(e, shortcut));
    if (match) {
      e.preventDefault();
      e.stopPropagation();
      match[1]();
    } else if (e.key === 'F10' && !e.shiftKey) {
      // F10 reaches the window's menu bar, as in a Windows program.
      e.preventDefault();
      e.stopPropagation();
      e.currentTarget.querySelector<HTMLElement>('[role="menubar"] [tabindex="0"]')?.focus();
    }
  };

  // The status line's wording is ours: VMConnect has a status bar, but its text was not found in
  // a stored source (behaviour spec: none).
  const status = vm ? `Status: ${vm.state}` : 'Connecting...';
  return (
    <div
      ref={windowRef}
      role="dialog"
      aria-labelledby={titleId}
      className={`vm-connection${fullScreen ? ' full-screen' : ''}${keyboardMode ? ' keyboard-placing' : ''}`}
      style={
        fullScreen
          ? { zIndex: BASE_Z_INDEX + stackIndex }
          : {
              left: placement.left,
              top: placement.top,
              ...(size ?? {}),
              zIndex: BASE_Z_INDEX + stackIndex,
            }
      }
      data-vm-connection={vmId}
      onKeyDown={onKeyDown}
      onPointerDownCapture={() => bringToFront(key)}
      onFocusCapture={() => bringToFront(key)}
    >
      <div className="vm-connection-titlebar" {...dragHandlers}>
        <span id={titleId} className="vm-connection-title">
          {name === undefined ? (
            'Virtual Machine Connection'
          ) : (
            <>
              <bdi>{name}</bdi> on <bdi>{host?.name ?? 'localhost'}</bdi> - Virtual Machine
              Connection
            </>
          )}
        </span>
        <button type="button" className="dialog-close" aria-label="Close" onClick={close}>
          ×
        </button>
      </div>
      {systemMenuOpen && (
        <WindowSystemMenu
          onDismiss={() => {
            setSystemMenuOpen(false);
            focusScreen();
          }}
          onChoose={(choice) => {
            setSystemMenuOpen(false);
            focusScreen();
            if (choice === 'close') close();
            else beginKeyboard(choice, windowRef.current);
          }}
        />
      )}
      {keyboardMode && (
        <p className="visually-hidden" role="status">
          {keyboardMode === 'move'
            ? 'Moving the window: arrow keys move it, Enter keeps it there, Esc puts it back.'
            : 'Sizing the window: arrow keys size it, Enter keeps the size, Esc puts it back.'}
        </p>
      )}
      <WindowMenuBar label="Virtual Machine Connection" menus={menus} onAfterChoose={focusScreen} />
      {toolbarShown && <VmConnectionToolbar items={commands.action} />}
      {error && <p role="alert">{errorMessage(error)}</p>}
      {clipboard.note !== null && <p role="alert">{clipboard.note}</p>}
      {/* The screen can take the focus, so the window's shortcuts work from it. */}
      <div
        ref={screenRef}
        className="guest-screen"
        tabIndex={-1}
        role="group"
        aria-label="Guest screen"
      >
        {vm &&
          (serialConsoleShown ? (
            <Suspense fallback={null}>
              <SerialConsoleScreen
                vmId={vmId}
                canType={canType}
                hostPath={hostPath}
                onControl={clipboard.setControl}
              />
            </Suspense>
          ) : (
            <GuestScreen vm={vm} guest={guest} start={commands.byId('start')} />
          ))}
      </div>
      <div className="vm-connection-status">{status}</div>
    </div>
  );
}
