import { useLayoutEffect, useRef } from 'react';
import type { GuestConsole, VmSummary } from '@hvm/engine';
import type { Command } from '../../shared/commands';

function formatUptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

/** Within this many pixels of the end, the console counts as scrolled to the bottom. */
const AT_BOTTOM_SLACK = 4;

/**
 * The guest's console text: wrapped, scrollable, live. New lines keep it at the bottom when it
 * was at the bottom; when the user has scrolled up to read, it stays where they are.
 */
function ConsoleLines({ lines }: { lines: readonly string[] }) {
  const ref = useRef<HTMLPreElement>(null);
  const atBottom = useRef(true);
  const text = lines.join('\n');
  useLayoutEffect(() => {
    const node = ref.current;
    if (node && atBottom.current) node.scrollTop = node.scrollHeight;
  }, [text]);
  return (
    <pre
      ref={ref}
      role="log"
      aria-label="Console output"
      aria-live="off"
      tabIndex={0}
      className="console-lines"
      onScroll={(e) => {
        const node = e.currentTarget;
        atBottom.current =
          node.scrollHeight - node.scrollTop - node.clientHeight <= AT_BOTTOM_SLACK;
      }}
    >
      {text}
    </pre>
  );
}

function GuestFacts({ guest }: { guest: GuestConsole }) {
  return (
    <dl className="console-facts">
      <dt>Operating system</dt>
      <dd>{guest.os}</dd>
      <dt>Application</dt>
      <dd>{guest.application}</dd>
      <dt>Uptime</dt>
      <dd>{formatUptime(guest.uptimeMs)}</dd>
      <dt>Committed transactions</dt>
      <dd>{guest.committedTransactions}</dd>
      <dt>In-flight transactions</dt>
      <dd>
        {guest.inFlightTransactions.length === 0 ? 'none' : guest.inFlightTransactions.join(', ')}
      </dd>
      <dt>At boot</dt>
      <dd data-testid="console-boot">{guest.boot?.message ?? '-'}</dd>
      {guest.replication && (
        <>
          <dt>Replication</dt>
          <dd role={guest.replication.status === 'Healthy' ? undefined : 'alert'}>
            {guest.replication.message}
          </dd>
        </>
      )}
    </dl>
  );
}

/**
 * What a powered-down VM's screen says, with the name isolated (`<bdi>`) so that a right-to-left
 * name cannot reorder the sentence. The Off sentence is the one issue 16 quotes for VMConnect;
 * the Saved one follows its pattern. Neither was found in a Microsoft source, so both are this
 * product's wording, not verified against VMConnect.
 */
function StoppedScreenText({ vm }: { vm: VmSummary }) {
  const state = vm.state === 'Off' ? 'turned off' : 'saved';
  return (
    <p className="console-off">
      The virtual machine &apos;<bdi>{vm.name}</bdi>&apos; is {state}.
    </p>
  );
}

interface GuestScreenProps {
  vm: VmSummary;
  guest: GuestConsole | undefined;
  /** The VM's Start command (the same as the Action menu's): the button on an Off or Saved screen. */
  start: Command | undefined;
}

/**
 * What the VM's screen in its Virtual Machine Connection window shows: the guest's console while
 * it runs (with the figures that tell a Standard from a Production checkpoint: committed and
 * in-flight transactions, what the guest did at boot), and a message with a Start button while it
 * is off or saved.
 */
export function GuestScreen({ vm, guest, start }: GuestScreenProps) {
  if (vm.state === 'Off' || vm.state === 'Saved') {
    return (
      <div className="guest-screen-stopped">
        <StoppedScreenText vm={vm} />
        {start && (
          <button type="button" disabled={!start.enabled} onClick={start.run}>
            Start
          </button>
        )}
      </div>
    );
  }
  if (!guest?.running) return null;
  if (guest.os === null) {
    return (
      <p className="console-off">{guest.boot?.message ?? 'No operating system was loaded.'}</p>
    );
  }
  return (
    <div className="guest-console" aria-label="Guest console" role="group">
      {vm.state === 'Paused' && <p className="guest-paused">Paused</p>}
      <GuestFacts guest={guest} />
      <ConsoleLines lines={guest.lines} />
    </div>
  );
}
