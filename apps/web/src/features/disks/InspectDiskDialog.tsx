import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import type { DiskFileInfo, DiskUser } from '@hvm/engine';
import { diskInspectionQuery, disksQuery } from '../../api/disks';
import { Dialog } from '../../shared/Dialog';
import { ErrorSummary } from '../../shared/ErrorSummary';
import { formatBytes } from '../../shared/format';
import { useUiStore } from '../../stores/uiStore';
import './disks.css';

function userText(user: DiskUser): string {
  if (user.role === 'Now') return `${user.vmName} (Now)`;
  if (user.role === 'Checkpoint')
    return `${user.vmName}, checkpoint "${user.checkpointName ?? ''}"`;
  return `${user.vmName} (parent in the chain)`;
}

/**
 * A path as the server gives it (relative, or absolute for Administrators), with a place to wrap
 * after each folder separator, so a long path breaks between folders rather than inside a name.
 */
export function PathText({ path }: { path: string }) {
  const parts = path.split(/(?<=[/\\])/);
  return (
    <>
      {parts.map((part, i) => (
        <span key={i}>
          {part}
          {i < parts.length - 1 && <wbr />}
        </span>
      ))}
    </>
  );
}

function DiskProperties({ disk }: { disk: DiskFileInfo }) {
  const rows: [string, ReactNode][] = [
    [
      'Format',
      `${disk.format} (Hyper-V ${disk.type === 'Differencing' ? 'differencing ' : ''}virtual hard disk)`,
    ],
    [
      'Type',
      `${disk.type === 'Fixed' ? 'Fixed size' : disk.type === 'Dynamic' ? 'Dynamically expanding' : 'Differencing'}`,
    ],
    ['Location', <PathText path={disk.path} />],
    ['Current File Size', formatBytes(disk.allocatedBytes)],
    ['Maximum Disk Size', formatBytes(disk.virtualSizeBytes)],
    ['Logical Sector Size', `${disk.logicalSectorSize} bytes`],
    ['Physical Sector Size', `${disk.physicalSectorSize} bytes`],
    ['Block Size', formatBytes(disk.blockSizeBytes)],
    ['Disk Identifier', disk.virtualDiskId.toUpperCase()],
    ['Parent', disk.parentPath === null ? 'None' : <PathText path={disk.parentPath} />],
    [
      'Used By',
      disk.usedBy.length === 0 ? 'No virtual machine' : disk.usedBy.map(userText).join('; '),
    ],
  ];
  return (
    <dl className="disk-properties" aria-label="Virtual Hard Disk Properties">
      {rows.map(([name, value]) => (
        <div
          key={name}
          className="disk-property"
          data-testid={`disk-property-${name.toLowerCase().replace(/ /g, '-')}`}
        >
          <dt>{name}:</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * Inspect Disk: the host's disk files, and for the chosen one the "Virtual Hard Disk Properties"
 * of Hyper-V (format, type, location, sizes, parent), walking up the chain with Inspect Parent.
 */
export function InspectDiskDialog({
  path: initialPath,
  onClose,
  hostPath,
}: {
  path: string | null;
  /** Given when the dialog opens over another one (Settings > Hard Drive): closes only itself. */
  onClose?: () => void;
  /** The server whose disks are inspected (a Settings dialog's: settingsServer.ts); the selected. */
  hostPath?: string | undefined;
}) {
  const closeDialog = useUiStore((s) => s.closeDialog);
  const close = onClose ?? closeDialog;
  const openDialog = useUiStore((s) => s.openDialog);
  const { data: disks, error: listError } = useQuery(disksQuery(hostPath));
  const [typed, setTyped] = useState(initialPath ?? '');
  const [path, setPath] = useState<string | null>(initialPath);
  const inspection = useQuery({
    ...diskInspectionQuery(path ?? '', hostPath),
    enabled: path !== null,
  });
  const disk = inspection.data;

  const inspect = (next: string) => {
    setTyped(next);
    setPath(next);
  };

  return (
    <Dialog
      title="Inspect Disk"
      onCancel={close}
      width={640}
      buttons={
        <>
          {!onClose && (
            <button type="button" onClick={() => openDialog({ kind: 'check-host' })}>
              Check Host...
            </button>
          )}
          <button type="button" className="default-button" onClick={close}>
            Close
          </button>
        </>
      }
    >
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (typed.trim() !== '') inspect(typed.trim());
        }}
      >
        <label className="field">
          <span>Disk file (relative to the host&apos;s data folder):</span>
          <input value={typed} onChange={(e) => setTyped(e.target.value)} aria-label="Disk path" />
        </label>
        <button type="submit">Inspect</button>
      </form>
      <div className="field">
        <span id="host-disks-label">Virtual hard disks on this host:</span>
        <ul className="disk-list" aria-labelledby="host-disks-label">
          {(disks ?? []).map((d) => (
            <li key={d.path}>
              <button
                type="button"
                className="link-button"
                aria-pressed={d.path === path}
                onClick={() => inspect(d.path)}
              >
                {d.path}
              </button>
              {/* What the file occupies, as Current File Size below (its length counts unwritten blocks). */}
              <span className="disk-size" title="Current file size">
                {formatBytes(d.allocatedBytes)}
              </span>
              {d.usedBy.length === 0 && d.extension === 'avhdx' && (
                <span className="disk-warning"> (used by no virtual machine)</span>
              )}
            </li>
          ))}
        </ul>
        <ErrorSummary summary="The disk files could not be listed." error={listError} />
      </div>
      {disk && (
        <section aria-label="Disk properties">
          <DiskProperties disk={disk} />
          {disk.chain.length > 1 && (
            <p className="disk-chain">
              Chain: {disk.chain.map((d) => d.path.slice(d.path.lastIndexOf('/') + 1)).join(' → ')}
            </p>
          )}
          <button
            type="button"
            disabled={disk.parentPath === null}
            onClick={() => {
              if (disk.parentPath !== null) inspect(disk.parentPath);
            }}
          >
            Inspect Parent
          </button>
        </section>
      )}
      <ErrorSummary summary="The disk could not be inspected." error={inspection.error} />
    </Dialog>
  );
}
