import { useQuery } from '@tanstack/react-query';
import type { HostSummary } from '@hvm/contracts';
import { LOCAL_HOST_ID } from '@hvm/contracts';
import { hostQuery } from '../../api/host';
import { hostsQuery } from '../../api/hosts';
import { HostIcon, ManagerIcon } from '../../shared/icons';
import { useSelectedHost } from '../../stores/selectedHostStore';
import { useUiStore } from '../../stores/uiStore';
import { useSelectHost } from './useSelectHost';
import '../../shared/tree.css';
import './host.css';

/** What a server's row says after its name when the console cannot use it. */
const stateNote: Record<HostSummary['state'], string | null> = {
  Connected: null,
  Connecting: 'Connecting...',
  Unreachable: 'Unreachable',
  SignedOut: 'Signed out',
  IdentityChanged: 'Certificate changed',
};

function isRootRow(target: EventTarget): boolean {
  return target instanceof Element && target.closest('[data-root-row]') !== null;
}

/**
 * The console tree on the left: "Hyper-V Manager" with each server under it, this one first, then
 * those added with Connect to Server... (each with its state). The selected server is the one
 * the rest of the frame acts on.
 */
export function HostTree() {
  const { data: local } = useQuery(hostQuery());
  const { data: list } = useQuery(hostsQuery());
  const selectedId = useSelectedHost((s) => s.hostId);
  const selectHost = useSelectHost();
  const openContextMenu = useUiStore((s) => s.openContextMenu);
  const hosts: HostSummary[] = list?.hosts ?? [
    {
      id: LOCAL_HOST_ID,
      computerName: local?.name ?? 'Connecting...',
      address: null,
      local: true,
      state: 'Connected',
      reason: null,
      userName: '',
      fingerprint: null,
    },
  ];
  const menuAt = (x: number, y: number, element: HTMLElement) =>
    openContextMenu({ target: { kind: 'host' }, x, y, returnFocus: element });
  return (
    <nav className="console-tree" aria-label="Console tree">
      <ul role="tree" aria-label="Hyper-V Manager">
        <li
          role="treeitem"
          aria-label="Hyper-V Manager"
          aria-expanded="true"
          aria-selected="false"
          data-testid="manager-node"
          onContextMenu={(e) => {
            if (e.target !== e.currentTarget && !isRootRow(e.target)) return;
            e.preventDefault();
            openContextMenu({
              target: { kind: 'manager' },
              x: e.clientX,
              y: e.clientY,
              returnFocus: e.currentTarget,
            });
          }}
        >
          <div className="tree-row" data-root-row>
            <ManagerIcon />
            <span className="tree-label">Hyper-V Manager</span>
          </div>
          <ul role="group">
            {hosts.map((host) => {
              const selected = host.id === selectedId;
              const note = stateNote[host.state];
              return (
                <li
                  key={host.id}
                  role="treeitem"
                  aria-label={host.computerName}
                  aria-selected={selected}
                  aria-description={note ?? undefined}
                  title={host.reason ?? host.address ?? undefined}
                  tabIndex={selected ? 0 : -1}
                  data-testid={host.local ? 'host-node' : 'server-node'}
                  data-address={host.local ? undefined : (host.address ?? undefined)}
                  data-state={host.state}
                  onClick={() => selectHost(host.id)}
                  onContextMenu={(e) => {
                    e.preventDefault();
                    selectHost(host.id);
                    const rect = e.currentTarget.getBoundingClientRect();
                    const keyboard = e.clientX === 0 && e.clientY === 0;
                    menuAt(
                      keyboard ? rect.left + 24 : e.clientX,
                      keyboard ? rect.bottom : e.clientY,
                      e.currentTarget,
                    );
                  }}
                  onKeyDown={(e) => {
                    if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
                      e.preventDefault();
                      const rect = e.currentTarget.getBoundingClientRect();
                      menuAt(rect.left + 24, rect.bottom, e.currentTarget);
                    } else if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      selectHost(host.id);
                    }
                  }}
                >
                  <div className={`tree-row${selected ? ' selected' : ''}`}>
                    <HostIcon />
                    <bdi className="tree-label">{host.computerName}</bdi>
                    {note !== null && <span className="tree-note"> ({note})</span>}
                  </div>
                </li>
              );
            })}
          </ul>
        </li>
      </ul>
    </nav>
  );
}
