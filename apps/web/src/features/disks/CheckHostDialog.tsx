import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { hostCheckQuery } from '../../api/disks';
import { Dialog } from '../../shared/Dialog';
import { ErrorSummary } from '../../shared/ErrorSummary';
import { useUiStore } from '../../stores/uiStore';
import { usePermissions } from '../signIn/usePermissions';
import {
  AttachOrphanedDiskDialog,
  OrphanActionButtons,
  RemoveOrphanedFileDialog,
  type OrphanAction,
} from './OrphanActions';

/**
 * Check Host: orphaned differencing disks and checkpoint files, chains that disagree with the
 * trees, missing files. Each orphan has two explicit actions (issue 17): Remove... (asks first)
 * and, for a disk, Attach to VM...; both for Administrators only.
 */
export function CheckHostDialog() {
  const close = useUiStore((s) => s.closeDialog);
  const check = useQuery(hostCheckQuery());
  const canManage = usePermissions().has('manageHost');
  const [action, setAction] = useState<OrphanAction | null>(null);
  const report = check.data;
  if (action?.kind === 'remove')
    return <RemoveOrphanedFileDialog path={action.path} onDone={() => setAction(null)} />;
  if (action?.kind === 'attach')
    return <AttachOrphanedDiskDialog path={action.path} onDone={() => setAction(null)} />;
  return (
    <Dialog
      title="Check Host"
      onCancel={close}
      width={640}
      buttons={
        <>
          <button type="button" onClick={() => void check.refetch()} disabled={check.isFetching}>
            Check Again
          </button>
          <button type="button" className="default-button" onClick={close}>
            Close
          </button>
        </>
      }
    >
      {check.isPending && <p>Checking the disks of the host...</p>}
      <ErrorSummary summary="The host could not be checked." error={check.error} />
      {report && (
        <div aria-label="Check Host report" className="check-report">
          <p role="status">
            {report.ok
              ? 'No problems found: every differencing disk belongs to a checkpoint tree and every chain matches it.'
              : 'Problems found. Nothing was changed; do not delete .avhdx files by hand while a checkpoint may still need them: remove or attach an orphan here.'}
          </p>
          {report.orphanedDisks.length > 0 && (
            <section aria-label="Orphaned disks">
              <h3>Orphaned differencing disks</h3>
              <ul>
                {report.orphanedDisks.map((o) => (
                  <li key={o.path}>
                    <code>{o.path}</code> (parent: {o.parentPath ?? 'unknown'}) — {o.reason}{' '}
                    <OrphanActionButtons
                      path={o.path}
                      disk
                      enabled={canManage}
                      onChoose={setAction}
                    />
                  </li>
                ))}
              </ul>
            </section>
          )}
          {report.orphanedFiles.length > 0 && (
            <section aria-label="Orphaned files">
              <h3>Orphaned checkpoint files</h3>
              <ul>
                {report.orphanedFiles.map((o) => (
                  <li key={o.path}>
                    <code>{o.path}</code> ({o.kind}) — {o.reason}{' '}
                    <OrphanActionButtons
                      path={o.path}
                      disk={false}
                      enabled={canManage}
                      onChoose={setAction}
                    />
                  </li>
                ))}
              </ul>
            </section>
          )}
          {report.brokenChains.length > 0 && (
            <section aria-label="Broken chains">
              <h3>Chains that do not match the checkpoint tree</h3>
              <ul>
                {report.brokenChains.map((b) => (
                  <li key={`${b.vmId}:${b.disk}`}>
                    {b.vmName}: <code>{b.disk}</code> should have parent{' '}
                    <code>{b.expectedParent ?? 'none'}</code>
                    {b.error === null ? (
                      <>
                        {' '}
                        but its file names <code>{b.actualParent ?? 'none'}</code>
                      </>
                    ) : (
                      <> but cannot be opened: {b.error}</>
                    )}
                  </li>
                ))}
              </ul>
            </section>
          )}
          {report.missingFiles.length > 0 && (
            <section aria-label="Missing files">
              <h3>Missing files</h3>
              <ul>
                {report.missingFiles.map((m) => (
                  <li key={`${m.vmId}:${m.path}`}>
                    {m.vmName}: <code>{m.path}</code> ({m.usedBy})
                  </li>
                ))}
              </ul>
            </section>
          )}
          {report.skippedVms.map((s) => (
            <p key={s.vmId}>
              {s.vmName}: {s.reason}
            </p>
          ))}
        </div>
      )}
    </Dialog>
  );
}
