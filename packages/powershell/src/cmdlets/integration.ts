/** Get-/Enable-/Disable-VMIntegrationService, with PowerShell's service names. */
import type { IntegrationServices, VmDetail, VmSummary } from '@hvm/engine';
import { PsError } from '../errors.js';
import { wildcardToRegExp } from '../runtime/evaluate.js';
import { PsObject } from '../runtime/values.js';
import { VM_TYPE } from './objects.js';
import { forEachTarget, vmsOf } from './eachVm.js';
import type { Bound, CmdletContext, CmdletDef } from './types.js';

const TYPE = 'Microsoft.HyperV.PowerShell.VMIntegrationComponent';
const cls = (name: string): string => `Microsoft.HyperV.PowerShell.Commands.${name}`;

/** PowerShell's names, in Get-VMIntegrationService's order, and the engine's fields. */
export const integrationServiceNames: [string, keyof IntegrationServices][] = [
  ['Guest Service Interface', 'guestServices'],
  ['Heartbeat', 'heartbeat'],
  ['Key-Value Pair Exchange', 'dataExchange'],
  ['Shutdown', 'operatingSystemShutdown'],
  ['Time Synchronization', 'timeSynchronization'],
  ['VSS', 'backup'],
];

/**
 * "OK" while the guest's integration services answer, "No Contact" while the VM runs and no guest
 * answers (no integration services, no operating system, not booted: behaviour spec R34;
 * microsoft/lis-test#1104), empty for a disabled service or a VM that is not running (our reading:
 * what Hyper-V shows for those is not documented).
 */
function primaryStatusDescription(detail: VmDetail, enabled: boolean): string {
  if (!enabled || detail.state !== 'Running') return '';
  return detail.integrationServicesInContact === true ? 'OK' : 'No Contact';
}

function serviceObject(
  ctx: CmdletContext,
  vm: VmSummary,
  name: string,
  field: keyof IntegrationServices,
): PsObject {
  const detail = ctx.host.getVm(vm.id);
  const enabled = detail.integrationServices[field];
  return new PsObject(TYPE, {
    VMName: detail.name,
    Name: name,
    Enabled: enabled,
    PrimaryStatusDescription: primaryStatusDescription(detail, enabled),
    SecondaryStatusDescription: '',
    VMId: detail.id,
    ComputerName: ctx.host.info().name,
  });
}

function selected(
  ctx: CmdletContext,
  params: Bound,
): { vm: VmSummary; name: string; field: keyof IntegrationServices }[] {
  const objects = params.VMIntegrationService;
  if (Array.isArray(objects)) {
    return objects.map((o: PsObject) => {
      const name = String(o.get('Name'));
      const entry = integrationServiceNames.find(([n]) => n === name);
      return {
        vm: ctx.host.getVm(String(o.get('VMId')) as VmSummary['id']),
        name,
        field: entry?.[1] ?? 'heartbeat',
      };
    });
  }
  const patterns = params.Name === undefined ? null : (params.Name as string[]);
  const vms = vmsOf(ctx, params);
  const out: { vm: VmSummary; name: string; field: keyof IntegrationServices }[] = [];
  for (const vm of vms) {
    const matches = integrationServiceNames.filter(
      ([n]) => patterns === null || patterns.some((p) => wildcardToRegExp(p).test(n)),
    );
    if (matches.length === 0 && patterns !== null) {
      ctx.writeError(
        new PsError(
          `No integration service with name "${patterns.join(', ')}" was found for virtual machine "${vm.name}".`,
          {
            category: 'ObjectNotFound',
            errorId: 'ObjectNotFound',
            exceptionType: 'VirtualizationException',
          },
        ),
      );
    }
    for (const [name, field] of matches) out.push({ vm, name, field });
  }
  return out;
}

const getService: CmdletDef = {
  name: 'Get-VMIntegrationService',
  className: cls('GetVMIntegrationService'),
  // Microsoft's reference: -VMName or -VM required (the VMSnapshot set is not implemented here).
  parameterSets: [
    { name: 'VMName', mandatory: ['VMName'] },
    { name: 'VMObject', mandatory: ['VM'] },
  ],
  params: [
    { name: 'VMName', type: 'string[]', position: 0, pipelineByValue: true },
    { name: 'Name', type: 'string[]', position: 1 },
    { name: 'VM', type: 'object[]', objectTypes: [VM_TYPE], position: 0, pipelineByValue: true },
  ],
  process(ctx, params) {
    for (const s of selected(ctx, params)) ctx.write(serviceObject(ctx, s.vm, s.name, s.field));
    return Promise.resolve();
  },
};

function toggle(name: string, enabled: boolean): CmdletDef {
  return {
    name,
    className: cls(name.replace('-', '')),
    shouldProcess: true,
    // Microsoft's Enable-/Disable-VMIntegrationService reference.
    parameterSets: [
      { name: 'VMName', mandatory: ['Name', 'VMName'] },
      { name: 'VMObject', mandatory: ['Name', 'VM'] },
      { name: 'VMIntegrationService', mandatory: ['VMIntegrationService'] },
    ],
    params: [
      { name: 'Name', type: 'string[]', position: 0 },
      { name: 'VMName', type: 'string[]', position: 1 },
      { name: 'VM', type: 'object[]', objectTypes: [VM_TYPE], pipelineByValue: true },
      {
        name: 'VMIntegrationService',
        type: 'object[]',
        objectTypes: [TYPE],
        position: 0,
        pipelineByValue: true,
      },
      { name: 'Passthru', type: 'switch' },
    ],
    async process(ctx, params) {
      await forEachTarget(ctx, selected(ctx, params), async (s) => {
        if (!(await ctx.shouldProcess(`${s.vm.name}: ${s.name}`))) return;
        await ctx.host.updateVmSettings(s.vm.id, { integrationServices: { [s.field]: enabled } });
        if (params.Passthru === true) ctx.write(serviceObject(ctx, s.vm, s.name, s.field));
      });
    },
  };
}

export const integrationCmdlets: CmdletDef[] = [
  getService,
  toggle('Enable-VMIntegrationService', true),
  toggle('Disable-VMIntegrationService', false),
];
