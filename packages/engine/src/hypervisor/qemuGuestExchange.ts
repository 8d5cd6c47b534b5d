/**
 * The Key-Value Pair Exchange integration service of a QEMU guest: what the guest agent reports,
 * under the names Hyper-V's intrinsic exchange items have.
 */
import type { QgaClient } from '@hvm/qemu';

/**
 * The guest's intrinsic Key-Value Pair Exchange items, from the agent: `OSName`, `OSVersion`,
 * `FullyQualifiedDomainName`, `NetworkAddressIPv4` and `NetworkAddressIPv6` (addresses separated
 * by semicolons, loopback left out). The names and the address lists' form are those of
 * Msvm_KvpExchangeDataItem (learn.microsoft.com, windows/win32/hyperv_v2/msvm-kvpexchangedataitem);
 * the values are what qemu-ga's guest-get-osinfo, guest-get-host-name and
 * guest-network-get-interfaces report. An item the agent cannot give is left out; without an
 * agent the result is empty, as a guest without the Data Exchange service gives none.
 */
export async function intrinsicExchangeItemsOf(
  agent: QgaClient | undefined,
  timeoutMs: number,
): Promise<Record<string, string>> {
  const items: Record<string, string> = {};
  if (agent === undefined || !(await agent.ping(timeoutMs))) return items;
  const ask = <T>(command: string): Promise<T | undefined> =>
    agent.execute<T>(command, undefined, { timeoutMs }).catch(() => undefined);
  const os = await ask<Record<string, string | undefined>>('guest-get-osinfo');
  const osName = os?.['pretty-name'] ?? os?.name;
  if (osName !== undefined) items.OSName = osName;
  const osVersion = os?.['kernel-release'] ?? os?.version;
  if (osVersion !== undefined) items.OSVersion = osVersion;
  const host = await ask<{ 'host-name'?: string }>('guest-get-host-name');
  if (host?.['host-name'] !== undefined) items.FullyQualifiedDomainName = host['host-name'];
  const interfaces = await ask<
    { name: string; 'ip-addresses'?: { 'ip-address-type': string; 'ip-address': string }[] }[]
  >('guest-network-get-interfaces');
  if (interfaces !== undefined) {
    const addresses = interfaces
      .filter((i) => i.name !== 'lo')
      .flatMap((i) => i['ip-addresses'] ?? []);
    const of = (type: string): string =>
      addresses
        .filter((a) => a['ip-address-type'] === type)
        .map((a) => a['ip-address'])
        .join(';');
    items.NetworkAddressIPv4 = of('ipv4');
    items.NetworkAddressIPv6 = of('ipv6');
  }
  return items;
}
