import { useQuery } from '@tanstack/react-query';
import type { VmId } from '@hvm/engine';
import { errorMessage } from '../../api/client';
import { guestConsoleQuery } from '../../api/guests';
import { Dialog } from '../../shared/Dialog';
import { useUiStore } from '../../stores/uiStore';
import './console.css';

function formatUptime(ms: number): string {
  const s = Math.floor(ms / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

/** "Virtual Machine Connection": what is happening inside the guest, refreshed every second. */
export function VmConnectionDialog({ vmId }: { vmId: VmId }) {
  const close = useUiStore((s) => s.closeDialog);
  const { data, error } = useQuery(guestConsoleQuery(vmId));
  const title = `${data?.vmName ?? 'Virtual machine'} - Virtual Machine Connection`;
  return (
    <Dialog
      title={title}
      onCancel={close}
      width={620}
      buttons={
        <button type="button" className="default-button" data-autofocus onClick={close}>
          Close
        </button>
      }
    >
      {error && <p role="alert">{errorMessage(error)}</p>}
      {data && !data.running && (
        <p className="console-off">
          {data.os === null
            ? 'The virtual machine has no operating system installed.'
            : `The virtual machine '${data.vmName}' is ${data.state.toLowerCase()}.`}
        </p>
      )}
      {data?.running && (
        <div className="guest-console" aria-label="Guest console">
          <dl className="console-facts">
            <dt>Operating system</dt>
            <dd>{data.os}</dd>
            <dt>Application</dt>
            <dd>{data.application}</dd>
            <dt>Uptime</dt>
            <dd>{formatUptime(data.uptimeMs)}</dd>
            <dt>Committed transactions</dt>
            <dd>{data.committedTransactions}</dd>
            <dt>In-flight transactions</dt>
            <dd>
              {data.inFlightTransactions.length === 0
                ? 'none'
                : data.inFlightTransactions.join(', ')}
            </dd>
            <dt>At boot</dt>
            <dd data-testid="console-boot">{data.boot?.message ?? '-'}</dd>
            {data.replication && (
              <>
                <dt>Replication</dt>
                <dd role={data.replication.status === 'Healthy' ? undefined : 'alert'}>
                  {data.replication.message}
                </dd>
              </>
            )}
          </dl>
          <pre className="console-lines">{data.lines.join('\n')}</pre>
        </div>
      )}
    </Dialog>
  );
}
