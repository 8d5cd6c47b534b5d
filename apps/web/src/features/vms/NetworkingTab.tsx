import { adapterIpAddresses } from '@hvm/contracts';
import type { VmDetail } from '@hvm/engine';

/**
 * The Networking tab of the details pane: one row per network adapter, with its switch (or "Not
 * connected") and the addresses the guest reports through Key-Value Pair Exchange, as
 * Get-VMNetworkAdapter's IPAddresses shows them (a real guest's own, a simulated guest's simulated).
 */
export function NetworkingTab({ detail }: { detail: VmDetail | undefined }) {
  const adapters = detail?.networkAdapters ?? [];
  const running = detail?.state === 'Running' || detail?.state === 'Paused';
  return (
    <table className="grid details-table" aria-label="Network adapters">
      <thead>
        <tr>
          <th scope="col">Adapter</th>
          <th scope="col">Connection</th>
          <th scope="col">IP Addresses</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {detail !== undefined &&
          adapters.map((adapter) => (
            <tr key={adapter.id}>
              <td>
                <bdi>{adapter.name}</bdi>
              </td>
              <td>
                <bdi>{adapter.switchName ?? 'Not connected'}</bdi>
              </td>
              <td>{adapterIpAddresses(detail, adapter).join(', ')}</td>
              <td>{running ? 'OK' : ''}</td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}
