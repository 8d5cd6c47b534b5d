/**
 * Get-VMSecurity, Set-VMSecurity, Enable-VMTPM and Disable-VMTPM: the Settings dialog's Security
 * page (Microsoft's references of the four cmdlets). What this host cannot simulate: shielding and
 * key storage need a Host Guardian Service, so Shielded and KsdEnabled are always False; a real
 * Enable-VMTPM needs a key protector first (Set-VMKeyProtector -NewLocalKeyProtector), which this
 * host takes as given, as Hyper-V Manager makes a local one when the TPM box is ticked.
 */
import type { VmDetail, VmSecurityUpdate } from '@hvm/engine';
import { PsError } from '../errors.js';
import { PsObject } from '../runtime/values.js';
import { forEachTarget, vmsOf } from './eachVm.js';
import { vmObject } from './objects.js';
import { updateFirmware } from './firmwareErrors.js';
import type { CmdletContext, CmdletDef } from './types.js';
import { vmNameOrVmParams, vmNameOrVmSets } from './vmMemory.js';

export const VM_SECURITY_TYPE = 'Microsoft.HyperV.PowerShell.VMSecurity';
const cls = (name: string): string => `Microsoft.HyperV.PowerShell.Commands.${name}`;

/** Get-VMSecurity's properties (Microsoft's reference example output), for one VM. */
export function securityObject(ctx: CmdletContext, vm: VmDetail): PsObject {
  const security = vm.security;
  return new PsObject(VM_SECURITY_TYPE, {
    TpmEnabled: security?.tpmEnabled ?? false,
    KsdEnabled: false,
    Shielded: false,
    EncryptStateAndVmMigrationTraffic: security?.encryptStateAndVmMigrationTraffic ?? false,
    VirtualizationBasedSecurityOptOut: false,
    BindToHostTpm: false,
    VMName: vm.name,
    VMId: vm.id,
    ComputerName: ctx.host.info().name,
  });
}

/**
 * [B] A virtual TPM on a Generation 1 VM: Hyper-V offers the TPM to Generation 2 VMs only (the
 * Security page of a Generation 1 VM has Key Storage Drive instead); Hyper-V's exact words were
 * not found, so this sentence is ours.
 */
function generationOneTpm(vm: VmDetail): PsError {
  return new PsError(
    `The Generation 1 virtual machine "${vm.name}" does not support a virtual Trusted Platform Module.`,
    {
      category: 'InvalidArgument',
      errorId: 'InvalidParameter',
      exceptionType: 'VirtualizationException',
    },
  );
}

const getVmSecurity: CmdletDef = {
  name: 'Get-VMSecurity',
  className: cls('GetVMSecurity'),
  parameterSets: vmNameOrVmSets,
  params: vmNameOrVmParams,
  process(ctx, params) {
    for (const vm of vmsOf(ctx, params)) ctx.write(securityObject(ctx, ctx.host.getVm(vm.id)));
    return Promise.resolve();
  },
};

/** Set-VMSecurity -EncryptStateAndVmMigrationTraffic <Boolean> (the other switches need a guardian). */
const setVmSecurity: CmdletDef = {
  name: 'Set-VMSecurity',
  className: cls('SetVMSecurity'),
  shouldProcess: true,
  parameterSets: vmNameOrVmSets,
  params: [
    ...vmNameOrVmParams,
    { name: 'EncryptStateAndVmMigrationTraffic', type: 'bool' },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    await forEachTarget(ctx, vmsOf(ctx, params), async (vm) => {
      const security: VmSecurityUpdate = {};
      if (typeof params.EncryptStateAndVmMigrationTraffic === 'boolean')
        security.encryptStateAndVmMigrationTraffic = params.EncryptStateAndVmMigrationTraffic;
      if (!(await ctx.shouldProcess(vm.name))) return;
      if (Object.keys(security).length > 0) await updateFirmware(ctx, vm, { security }, 'Security');
      if (params.Passthru === true) ctx.write(securityObject(ctx, ctx.host.getVm(vm.id)));
    });
  },
};

function tpmCmdlet(name: 'Enable-VMTPM' | 'Disable-VMTPM', enabled: boolean): CmdletDef {
  return {
    name,
    className: cls(name.replace('-', '')),
    shouldProcess: true,
    parameterSets: vmNameOrVmSets,
    params: [...vmNameOrVmParams, { name: 'Passthru', type: 'switch' }],
    async process(ctx, params) {
      await forEachTarget(ctx, vmsOf(ctx, params), async (vm) => {
        const detail = ctx.host.getVm(vm.id);
        if (detail.generation === 1) throw generationOneTpm(detail);
        if (!(await ctx.shouldProcess(vm.name))) return;
        await updateFirmware(
          ctx,
          vm,
          { security: { tpmEnabled: enabled } },
          'Microsoft Virtual TPM',
        );
        if (params.Passthru === true) ctx.write(vmObject(ctx.host, ctx.host.getVm(vm.id)));
      });
    },
  };
}

export const vmSecurityCmdlets: CmdletDef[] = [
  getVmSecurity,
  setVmSecurity,
  tpmCmdlet('Enable-VMTPM', true),
  tpmCmdlet('Disable-VMTPM', false),
];
