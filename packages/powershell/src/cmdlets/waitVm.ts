/**
 * Wait-VM (Hyper-V reference: `[-Name] <String[]>` or `[-VM] <VirtualMachine[]>`, `-For
 * <WaitVMTypes>` Heartbeat|IPAddress|Reboot|MemoryOperations, `-Delay <UInt16>`, `-Timeout <Int32>`
 * alias TimeoutSec, `-Passthru`, `-AsJob`): waits until each VM is ready for what -For names,
 * looking every -Delay seconds, on the session's clock (so Ctrl+C and the run's limits end it).
 *
 * The reference page leaves every parameter undescribed; what is ours:
 * - -For defaults to Heartbeat, -Delay to 1 second, -Timeout to no end (like Wait-Job's -1);
 * - IPAddress: the reference does not describe the WaitVMTypes value; by its name, and as the
 *   scripts that poll Get-VMNetworkAdapter's IPAddresses for the same do (the xHyper-V DSC module's
 *   WaitForIP, powershellgallery.com/packages/xHyper-V), it waits until the VM reports an IP
 *   address through Key-Value Pair Exchange. A real guest (QEMU host) is waited for until it
 *   reports one that is not link-local (fe80::/10, 169.254.0.0/16: a guest has those before DHCP
 *   answers; which addresses Hyper-V counts is not documented, this rule is ours). The simulated
 *   guests have no network stack, so for them IPAddress waits for the heartbeat (a guest with an
 *   operating system running);
 * - MemoryOperations (dynamic memory) has nothing to wait for;
 * - Reboot waits until the VM was seen not running, or runs from a later boot, and then runs;
 * - the -Timeout error: Hyper-V's wording for it was not found (searched Microsoft's reference and
 *   public issues and transcripts); the sentence below is this product's and says so.
 */
import { adapterIpAddresses } from '@hvm/contracts';
import type { VmDetail, VmSummary } from '@hvm/engine';
import { PsError } from '../errors.js';
import { vmObject } from './objects.js';
import { adaptersOf } from './vmNetworkAdapter.js';
import { vmsOf } from './eachVm.js';
import type { Bound, CmdletDef } from './types.js';
import { nameOrVmSets, nameParams } from './vm.js';

const waitTypes = ['Heartbeat', 'IPAddress', 'Reboot', 'MemoryOperations'] as const;
type WaitFor = (typeof waitTypes)[number];

/**
 * Heartbeat: the VM runs and its guest answers (the Heartbeat property is OK); a guest without
 * integration services or an operating system never does (NoContact, behaviour spec R34).
 */
function heartbeatOk(vm: VmDetail): boolean {
  return vm.state === 'Running' && vm.heartbeat === 'OkApplicationsUnknown';
}

/** An address a guest has on its own, before any DHCP server or administrator gave it one. */
function linkLocal(address: string): boolean {
  return /^fe[89ab][0-9a-f]:/i.test(address) || address.startsWith('169.254.');
}

/**
 * IPAddress: the VM runs and reports an address that is not link-local on one of its adapters (a
 * simulated guest: its heartbeat).
 */
function ipAddressReported(vm: VmDetail): boolean {
  if ((vm.guestIpAddresses ?? null) === null) return heartbeatOk(vm);
  const adapters = adaptersOf(vm);
  const withAdapters = { ...vm, networkAdapters: adapters };
  return (
    vm.state === 'Running' &&
    adapters.some((a) => adapterIpAddresses(withAdapters, a).some((address) => !linkLocal(address)))
  );
}

/** A test of the VM's readiness for `what`, made once per VM (Reboot remembers what it saw). */
function readiness(what: WaitFor, first: VmDetail): (vm: VmDetail) => boolean {
  if (what === 'MemoryOperations') return () => true;
  if (what === 'IPAddress') return ipAddressReported;
  if (what !== 'Reboot') return heartbeatOk;
  // When the guest booted: a later boot means it restarted, even between two looks.
  const bootedAt = (vm: VmDetail): number => Date.parse(vm.observedAt) - vm.uptimeMs;
  const firstBoot = bootedAt(first);
  let wentDown = false;
  return (vm) => {
    if (vm.state !== 'Running' || bootedAt(vm) > firstBoot) wentDown = true;
    return wentDown && heartbeatOk(vm);
  };
}

function timedOut(vm: VmSummary, what: WaitFor, seconds: number): PsError {
  return new PsError(
    `Waiting for virtual machine '${vm.name}' (${what}) did not end within the timeout of ${seconds} seconds. (this product's wording: Hyper-V's is not known)`,
    {
      category: 'OperationTimeout',
      errorId: 'OperationTimeout',
      exceptionType: 'VirtualizationException',
      target: vm.name,
      targetType: 'VirtualMachine',
    },
  );
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

export const waitVm: CmdletDef = {
  name: 'Wait-VM',
  className: 'Microsoft.HyperV.PowerShell.Commands.WaitVM',
  parameterSets: nameOrVmSets,
  params: [
    ...nameParams,
    {
      name: 'For',
      type: 'enum',
      enumValues: waitTypes,
      enumType: 'Microsoft.HyperV.PowerShell.Commands.WaitVMTypes',
    },
    { name: 'Delay', type: 'int', netType: 'System.UInt16' },
    { name: 'Timeout', type: 'int', aliases: ['TimeoutSec'], netType: 'System.Int32' },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params: Bound) {
    const services = ctx.services;
    const what = (typeof params.For === 'string' ? params.For : 'Heartbeat') as WaitFor;
    const delayMs = Math.max(0, numberOr(params.Delay, 1)) * 1000;
    const seconds = numberOr(params.Timeout, -1);
    const vms = vmsOf(ctx, params, 'Name');
    for (const vm of vms) {
      const ready = readiness(what, ctx.host.getVm(vm.id));
      let nextLook = Number.NEGATIVE_INFINITY;
      const done = (): boolean => {
        if (services === undefined) return ready(ctx.host.getVm(vm.id));
        if (services.clock.now() < nextLook) return false;
        nextLook = services.clock.now() + delayMs;
        return ready(ctx.host.getVm(vm.id));
      };
      const waited =
        services === undefined
          ? done()
          : await services.waitUntil(done, seconds < 0 ? null : seconds * 1000);
      if (!waited) {
        ctx.writeError(timedOut(vm, what, seconds));
        continue;
      }
      if (params.Passthru === true) ctx.write(vmObject(ctx.host, ctx.host.getVm(vm.id)));
    }
  },
};
