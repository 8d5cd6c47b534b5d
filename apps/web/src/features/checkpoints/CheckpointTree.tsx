import { ConsistencyBadge } from './ConsistencyBadge';
import { useQuery } from '@tanstack/react-query';
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import type { Checkpoint, VmSummary } from '@hvm/engine';
import { checkpointsQuery } from '../../api/checkpoints';
import { vmsQuery } from '../../api/vms';
import { errorMessage } from '../../api/client';
import { formatBytes, formatDateTime } from '../../shared/format';
import {
  NowIcon,
  ProductionCheckpointIcon,
  RecoveryCheckpointIcon,
  StandardCheckpointIcon,
} from '../../shared/icons';
import { runIfEnabled } from '../../shared/commands';
import { useUiStore } from '../../stores/uiStore';
import { useCheckpointCommandsOf } from '../actions/useCheckpointCommands';
import { buildCheckpointTree, visibleItems, type TreeNode } from './buildCheckpointTree';
import { CheckpointRenameBox } from './CheckpointRenameBox';
import '../../shared/tree.css';
import './checkpoints.css';

/**
 * The expander is a text glyph, not an SVG: a 50-deep tree has 50 of them, and each SVG is a
 * replaced element of its own to lay out and paint on the click that shows the tree.
 */
const OPEN_GLYPH = '\u25BE';
const CLOSED_GLYPH = '\u25B8';

/**
 * A row's tooltip, written when the pointer comes over the row (the tooltip shows after a pause):
 * not on every item of a 50-deep tree each time a VM is selected, as each creation time takes an
 * `Intl.DateTimeFormat` call.
 */
function rowTooltip(node: TreeNode): string {
  if (node.type !== 'checkpoint') return 'The current state of the virtual machine';
  const { kind, sizeOnDiskBytes, createdAt } = node.checkpoint;
  return `${kind} checkpoint, ${formatBytes(sizeOnDiskBytes)} on disk, created ${formatDateTime(createdAt)}`;
}

function KindIcon({ checkpoint }: { checkpoint: Checkpoint }) {
  if (checkpoint.kind === 'Production') return <ProductionCheckpointIcon />;
  if (checkpoint.kind === 'Recovery') return <RecoveryCheckpointIcon />;
  return <StandardCheckpointIcon />;
}

/** Which item holds the tree's single tab stop; items subscribe to "is it me?" only. */
class TabStop {
  private key = 'now';
  private readonly listeners = new Set<() => void>();
  readonly subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  readonly get = () => this.key;
  set(key: string) {
    if (key === this.key) return;
    this.key = key;
    for (const l of this.listeners) l();
  }
}

interface TreeItemProps {
  node: TreeNode;
  level: number;
  collapsed: ReadonlySet<string>;
  tabStop: TabStop;
  onClick: (key: string) => void;
  onToggle: (key: string) => void;
  onMenu: (checkpoint: Checkpoint, x: number, y: number, el: HTMLElement) => void;
}

/**
 * One item of the tree and its children. Memoised: it re-renders only when its node, the
 * collapsed set or the focus changes; selection and rename state are read per item from the store.
 */
const TreeItem = memo(function TreeItem({
  node,
  level,
  collapsed,
  tabStop,
  onClick,
  onToggle,
  onMenu,
}: TreeItemProps) {
  const isNow = node.type === 'now';
  // One subscription to the store per item (a 50-checkpoint tree mounts 51 of them on a click).
  const mark = useUiStore((s) =>
    isNow
      ? 0
      : (s.selectedCheckpointId === node.key ? 1 : 0) |
        (s.renamingCheckpointId === node.key ? 2 : 0),
  );
  const selected = (mark & 1) !== 0;
  const renaming = (mark & 2) !== 0;
  const isTabStop = useSyncExternalStore(tabStop.subscribe, () => tabStop.get() === node.key);
  const open = !collapsed.has(node.key);
  const hasChildren = node.children.length > 0;
  const label = isNow ? 'Now' : node.checkpoint.name;
  const size = node.type === 'checkpoint' ? formatBytes(node.checkpoint.sizeOnDiskBytes) : '';
  return (
    <li
      role="treeitem"
      aria-label={label}
      aria-level={level}
      aria-selected={selected}
      aria-expanded={hasChildren ? open : undefined}
      data-key={node.key}
      data-testid={isNow ? 'checkpoint-now' : `checkpoint-${node.key}`}
      tabIndex={isTabStop ? 0 : -1}
      className="tree-item"
      onClick={(e) => {
        e.stopPropagation();
        onClick(node.key);
      }}
      onContextMenu={(e) => {
        e.preventDefault();
        e.stopPropagation();
        if (node.type !== 'checkpoint') return;
        const el = e.currentTarget;
        const rect = el.getBoundingClientRect();
        const keyboard = e.clientX === 0 && e.clientY === 0;
        onMenu(
          node.checkpoint,
          keyboard ? rect.left + 32 : e.clientX,
          keyboard ? rect.top + 18 : e.clientY,
          el,
        );
      }}
    >
      <div
        className={`tree-row${selected ? ' selected' : ''}`}
        style={{ paddingLeft: (level - 1) * 18 + 2 }}
        onPointerEnter={(e) => {
          e.currentTarget.title = rowTooltip(node);
        }}
      >
        <span
          className="tree-toggle"
          aria-hidden="true"
          onClick={(e) => {
            e.stopPropagation();
            if (hasChildren) onToggle(node.key);
          }}
        >
          {hasChildren && (open ? OPEN_GLYPH : CLOSED_GLYPH)}
        </span>
        {isNow ? <NowIcon /> : <KindIcon checkpoint={node.checkpoint} />}
        {node.type === 'checkpoint' && renaming ? (
          <CheckpointRenameBox checkpoint={node.checkpoint} />
        ) : (
          <bdi className="tree-label">{label}</bdi>
        )}
        {node.type === 'checkpoint' && (
          <span
            className={`kind-badge kind-${node.checkpoint.kind.toLowerCase()}`}
            title={`${node.checkpoint.kind} checkpoint${node.checkpoint.note ? ` (${node.checkpoint.note})` : ''}`}
          >
            {node.checkpoint.kind}
          </span>
        )}
        {node.type === 'checkpoint' && <ConsistencyBadge checkpoint={node.checkpoint} />}
        {node.type === 'checkpoint' && (
          <span className="checkpoint-size" data-testid={`checkpoint-size-${node.key}`}>
            {size}
          </span>
        )}
      </div>
      {hasChildren && open && (
        <ul role="group">
          {node.children.map((child) => (
            <TreeItem
              key={child.key}
              node={child}
              level={level + 1}
              collapsed={collapsed}
              tabStop={tabStop}
              onClick={onClick}
              onToggle={onToggle}
              onMenu={onMenu}
            />
          ))}
        </ul>
      )}
    </li>
  );
});

/** The "Checkpoints" tree of the selected VM, with "Now" under the checkpoint it derives from. */
export const CheckpointTree = memo(
  function CheckpointTree({ vm }: { vm: VmSummary }) {
    const { data, error, isPending } = useQuery(checkpointsQuery(vm.id));
    // What the server allows the VM's checkpoints now (this tree redraws only for another VM, see below).
    const { data: allowedCheckpointActions } = useQuery({
      ...vmsQuery(),
      select: (vms) => vms.find((v) => v.id === vm.id)?.allowedCheckpointActions,
    });
    const commandsOf = useCheckpointCommandsOf(
      allowedCheckpointActions && { id: vm.id, allowedCheckpointActions },
    );
    const selectedId = useUiStore((s) => s.selectedCheckpointId);
    const selectCheckpoint = useUiStore((s) => s.selectCheckpoint);
    const openContextMenu = useUiStore((s) => s.openContextMenu);
    const startRename = useUiStore((s) => s.startRename);
    const openDialog = useUiStore((s) => s.openDialog);
    const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
    const [focusKey, setFocusKey] = useState<string>('now');
    const treeRef = useRef<HTMLUListElement>(null);

    const roots = useMemo(
      () => (data && data.checkpoints.length > 0 ? buildCheckpointTree(data) : []),
      [data],
    );
    const items = useMemo(() => visibleItems(roots, collapsed), [roots, collapsed]);
    const activeKey = items.some((i) => i.node.key === (selectedId ?? focusKey))
      ? (selectedId ?? focusKey)
      : 'now';
    const [tabStop] = useState(() => new TabStop());
    useLayoutEffect(() => tabStop.set(activeKey), [tabStop, activeKey]);

    const focusItem = (key: string) => {
      setFocusKey(key);
      selectCheckpoint(key === 'now' ? null : (key as Checkpoint['id']));
      treeRef.current?.querySelector<HTMLElement>(`[data-key="${key}"]`)?.focus();
    };

    const toggle = (key: string, open?: boolean) => {
      setCollapsed((prev) => {
        const next = new Set(prev);
        const willOpen = open ?? next.has(key);
        if (willOpen) next.delete(key);
        else next.add(key);
        return next;
      });
    };

    const openMenu = (checkpoint: Checkpoint, x: number, y: number, element: HTMLElement) => {
      selectCheckpoint(checkpoint.id);
      setFocusKey(checkpoint.id);
      openContextMenu({
        target: { kind: 'checkpoint', vmId: vm.id, checkpointId: checkpoint.id },
        x,
        y,
        returnFocus: element,
      });
    };

    const onKeyDown = (e: React.KeyboardEvent<HTMLUListElement>) => {
      const current = (e.target as HTMLElement).closest<HTMLElement>('[role="treeitem"]');
      const key = current?.dataset.key;
      const index = items.findIndex((i) => i.node.key === key);
      const item = items[index];
      if (!current || !item) return;
      const node = item.node;
      const hasChildren = node.children.length > 0;
      const handled = () => e.preventDefault();
      switch (e.key) {
        case 'ArrowDown':
          handled();
          if (items[index + 1]) focusItem(items[index + 1]?.node.key ?? 'now');
          break;
        case 'ArrowUp':
          handled();
          if (index > 0) focusItem(items[index - 1]?.node.key ?? 'now');
          break;
        case 'Home':
          handled();
          focusItem(items[0]?.node.key ?? 'now');
          break;
        case 'End':
          handled();
          focusItem(items[items.length - 1]?.node.key ?? 'now');
          break;
        case 'ArrowRight':
          handled();
          if (hasChildren && collapsed.has(node.key)) toggle(node.key, true);
          else if (hasChildren) focusItem(node.children[0]?.key ?? node.key);
          break;
        case 'ArrowLeft':
          handled();
          if (hasChildren && !collapsed.has(node.key)) toggle(node.key, false);
          else if (item.parentKey) focusItem(item.parentKey);
          break;
        case 'Enter':
          if (node.type === 'checkpoint') {
            handled();
            openDialog({
              kind: 'checkpoint-settings',
              vmId: vm.id,
              checkpointId: node.checkpoint.id,
            });
          }
          break;
        case 'F2':
          if (node.type === 'checkpoint') {
            handled();
            startRename(node.checkpoint.id);
          }
          break;
        case 'Delete':
          if (node.type === 'checkpoint') {
            handled();
            // As the menu: nothing while Delete Checkpoint is greyed out there.
            runIfEnabled(commandsOf(node.checkpoint), e.shiftKey ? 'deleteSubtree' : 'delete');
          }
          break;
        case 'ContextMenu':
        case 'F10':
          if (node.type === 'checkpoint' && (e.key === 'ContextMenu' || e.shiftKey)) {
            handled();
            const rect = current.getBoundingClientRect();
            openMenu(node.checkpoint, rect.left + 32, rect.top + 18, current);
          }
          break;
      }
    };

    const focusItemRef = useRef(focusItem);
    const toggleRef = useRef(toggle);
    const openMenuRef = useRef(openMenu);
    const onItemClick = useCallback((key: string) => focusItemRef.current(key), []);
    const onItemToggle = useCallback((key: string) => toggleRef.current(key), []);
    const onItemMenu = useCallback(
      (checkpoint: Checkpoint, x: number, y: number, el: HTMLElement) =>
        openMenuRef.current(checkpoint, x, y, el),
      [],
    );
    useEffect(() => {
      focusItemRef.current = focusItem;
      toggleRef.current = toggle;
      openMenuRef.current = openMenu;
    });

    return (
      <div className="checkpoint-tree-scroll">
        {isPending && <p className="empty-note">Loading checkpoints...</p>}
        {error && (
          <p role="alert" className="empty-note error-text">
            The checkpoints could not be loaded. {errorMessage(error)}
          </p>
        )}
        {data && (
          <ul
            ref={treeRef}
            role="tree"
            aria-label="Checkpoints"
            className="tree"
            onKeyDown={onKeyDown}
          >
            {roots.map((node) => (
              <TreeItem
                key={node.key}
                node={node}
                level={1}
                collapsed={collapsed}
                tabStop={tabStop}
                onClick={onItemClick}
                onToggle={onItemToggle}
                onMenu={onItemMenu}
              />
            ))}
          </ul>
        )}
        {data?.checkpoints.length === 0 && (
          <p className="empty-note">The selected virtual machine has no checkpoints.</p>
        )}
      </div>
    );
  },
  // Only the VM's identity matters here: live figures (CPU, uptime) must not redraw the tree.
  (before, after) => before.vm.id === after.vm.id,
);
