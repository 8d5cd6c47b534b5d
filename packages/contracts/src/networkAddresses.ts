/**
 * The IP addresses a VM's network adapter shows (Get-VMNetworkAdapter's IPAddresses, the Networking
 * tab of Hyper-V Manager): the addresses Hyper-V learns from the guest through Key-Value Pair
 * Exchange, so only a running guest with an operating system and that integration service reports
 * any. Shared by the PowerShell cmdlets and the web app.
 */

/** The Default Switch's ID (the engine's `vm/vmDevices.ts`; PowerShell's `DEFAULT_SWITCH`). */
export const DEFAULT_SWITCH_ID = 'c08cb7b8-9b3c-408e-8e30-5e16a3aeb444';

/** What of a VM the addresses depend on (the engine's VmDetail has this shape). */
export interface AddressSourceVm {
  state: string;
  guestImage: string | null;
  integrationServices: { dataExchange: boolean };
  /** A real guest's reported addresses (QEMU host); null or absent: the guest is simulated. */
  guestIpAddresses?: string[] | null;
  /** A real guest's addresses by adapter ID (matched by MAC address); absent from older servers. */
  guestAdapterIpAddresses?: Record<string, string[]> | null;
  networkAdapters?: readonly AddressSourceAdapter[];
}

export interface AddressSourceAdapter {
  id: string;
  switchId: string | null;
}

/** A stable hash of a text, for an adapter's simulated IP address. */
function idHash(text: string): number {
  let hash = 2166136261;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return hash;
}

/**
 * A simulated guest has no network stack; it reports one IPv4 address in the Default Switch's NAT
 * range (172.16.0.0/12 private addresses) on each adapter connected there, fixed per adapter.
 */
export function simulatedIpAddresses(vm: AddressSourceVm, adapter: AddressSourceAdapter): string[] {
  if (vm.state !== 'Running' || vm.guestImage === null || !vm.integrationServices.dataExchange)
    return [];
  // Only the Default Switch hands out addresses (its NAT's DHCP); a switch an administrator
  // creates has no DHCP server, and the simulated guest sets no address of its own.
  if (adapter.switchId !== DEFAULT_SWITCH_ID) return [];
  const hash = idHash(adapter.id);
  return [`172.${16 + ((hash >>> 24) & 0x0f)}.${(hash >>> 16) & 0xff}.${2 + ((hash >>> 8) % 250)}`];
}

/**
 * The addresses `adapter` shows: a real guest's (QEMU host) are what its agent reports for the
 * interface whose MAC address is the adapter's (only while the adapter is connected); a simulated
 * guest's are simulated. A server that reports no addresses by adapter gave them all to the first.
 */
export function adapterIpAddresses(vm: AddressSourceVm, adapter: AddressSourceAdapter): string[] {
  const reported = vm.guestIpAddresses ?? null;
  if (reported === null) return simulatedIpAddresses(vm, adapter);
  if (adapter.switchId === null) return [];
  const byAdapter = vm.guestAdapterIpAddresses ?? null;
  if (byAdapter !== null) return [...(byAdapter[adapter.id] ?? [])];
  return vm.networkAdapters?.[0]?.id === adapter.id ? [...reported] : [];
}
