import { useQuery } from '@tanstack/react-query';
import { hostQuery } from '../../api/host';
import { HostIcon, ManagerIcon } from '../../shared/icons';
import { useUiStore } from '../../stores/uiStore';
import '../../shared/tree.css';
import './host.css';

/** The console tree on the left: "Hyper-V Manager" with the host under it. */
export function HostTree() {
  const { data: host } = useQuery(hostQuery());
  const hostName = host?.name ?? 'Connecting...';
  const openContextMenu = useUiStore((s) => s.openContextMenu);
  const menuAt = (x: number, y: number, element: HTMLElement) =>
    openContextMenu({ target: { kind: 'host' }, x, y, returnFocus: element });
  return (
    <nav className="console-tree" aria-label="Console tree">
      <ul role="tree" aria-label="Hyper-V Manager">
        <li role="treeitem" aria-label="Hyper-V Manager" aria-expanded="true" aria-selected="false">
          <div className="tree-row">
            <ManagerIcon />
            <span className="tree-label">Hyper-V Manager</span>
          </div>
          <ul role="group">
            <li
              role="treeitem"
              aria-label={hostName}
              aria-selected="true"
              tabIndex={0}
              data-testid="host-node"
              onContextMenu={(e) => {
                e.preventDefault();
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
                }
              }}
            >
              <div className="tree-row selected">
                <HostIcon />
                <bdi className="tree-label">{hostName}</bdi>
              </div>
            </li>
          </ul>
        </li>
      </ul>
    </nav>
  );
}
