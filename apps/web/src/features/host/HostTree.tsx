import { useQuery } from '@tanstack/react-query';
import { hostQuery } from '../../api/host';
import { HostIcon, ManagerIcon } from '../../shared/icons';

/** The console tree on the left: "Hyper-V Manager" with the host under it. */
export function HostTree() {
  const { data: host } = useQuery(hostQuery());
  const hostName = host?.name ?? 'Connecting...';
  return (
    <nav className="console-tree" aria-label="Console tree">
      <ul role="tree" aria-label="Hyper-V Manager">
        <li role="treeitem" aria-label="Hyper-V Manager" aria-expanded="true" aria-selected="false">
          <div className="tree-row">
            <ManagerIcon />
            <span className="tree-label">Hyper-V Manager</span>
          </div>
          <ul role="group">
            <li role="treeitem" aria-label={hostName} aria-selected="true" tabIndex={0}>
              <div className="tree-row selected">
                <HostIcon />
                <span className="tree-label">{hostName}</span>
              </div>
            </li>
          </ul>
        </li>
      </ul>
    </nav>
  );
}
