/**
 * Get-, New-, Set-, Rename- and Remove-VMSwitch over the host's virtual switches: Windows' "Default
 * Switch" (Internal, with its well-known ID; it cannot be removed) and the Private and Internal
 * switches an administrator creates. External switches need a physical adapter this host does not
 * have: the engine refuses them.
 */
import type { Host, VirtualSwitch, VirtualSwitchType } from '@hvm/engine';
import { PsError } from '../errors.js';
import { hasWildcard } from '../runtime/evaluate.js';
import { PsObject, toPsString } from '../runtime/values.js';
import { nameMatcher } from './objects.js';
import type { Bound, CmdletContext, CmdletDef, ParamDef } from './types.js';
import { forEachTarget } from './eachVm.js';

export const VM_SWITCH_TYPE = 'Microsoft.HyperV.PowerShell.VMSwitch';
const cls = (name: string): string => `Microsoft.HyperV.PowerShell.Commands.${name}`;

/**
 * Windows 10 (1709 and later) and 11 create "Default Switch", an Internal switch with NAT, with
 * the same ID on every machine (tools find it by that ID: canonical/multipass, crc-org/crc).
 */
export const DEFAULT_SWITCH = {
  name: 'Default Switch',
  id: 'c08cb7b8-9b3c-408e-8e30-5e16a3aeb444',
  type: 'Internal',
} as const;

export function switchObject(host: Host, s: VirtualSwitch): PsObject {
  return new PsObject(VM_SWITCH_TYPE, {
    Name: s.name,
    Id: s.id,
    Notes: s.notes,
    SwitchType: s.switchType,
    // The host's own adapter on the switch: an Internal switch has one, a Private switch none
    // (New-VMSwitch reference, AllowManagementOS; Private reaches "only the virtual machines").
    AllowManagementOS: s.switchType !== 'Private',
    NetAdapterInterfaceDescription: '',
    ComputerName: host.info().name,
  });
}

export function defaultSwitchObject(host: Host): PsObject {
  const found = host.listVirtualSwitches().find((s) => s.isDefaultSwitch);
  if (found === undefined) throw new Error('The host has no Default Switch.');
  return switchObject(host, found);
}

/**
 * No switch of that name: [B] Hyper-V's wording for Get-VMSwitch was not found; this follows its
 * "Hyper-V was unable to find a virtual machine with name" record.
 */
export function switchNotFound(name: string): PsError {
  return new PsError(`Hyper-V was unable to find a virtual switch with name "${name}".`, {
    category: 'InvalidArgument',
    errorId: 'InvalidParameter',
    exceptionType: 'VirtualizationException',
    target: name,
    targetType: 'String',
  });
}

const switchTypeParam: ParamDef = {
  name: 'SwitchType',
  type: 'enum',
  enumValues: ['Private', 'Internal', 'External'],
  enumType: 'Microsoft.HyperV.PowerShell.VMSwitchType',
};

/** A -VMSwitch parameter: switch objects, from the pipeline. */
const vmSwitchParam: ParamDef = {
  name: 'VMSwitch',
  type: 'object[]',
  objectTypes: [VM_SWITCH_TYPE],
  position: 0,
  pipelineByValue: true,
};

/**
 * The switches -Name (wildcards) or -VMSwitch objects name; a plain name that finds none gets the
 * "unable to find" record and the cmdlet goes on with the others.
 */
export function targetSwitches(ctx: CmdletContext, params: Bound): VirtualSwitch[] {
  const all = ctx.host.listVirtualSwitches();
  const objects = params.VMSwitch;
  if (objects instanceof PsObject || Array.isArray(objects)) {
    const ids = (Array.isArray(objects) ? objects : [objects]).map((o) =>
      toPsString((o as PsObject).get('Id')).toLowerCase(),
    );
    return all.filter((s) => ids.includes(s.id));
  }
  const raw = params.Name;
  const names = raw === undefined || raw === null ? [] : Array.isArray(raw) ? raw : [raw];
  const found: VirtualSwitch[] = [];
  for (const name of names.map(toPsString)) {
    const matches = all.filter((s) => nameMatcher(name)(s.name));
    if (matches.length === 0 && !hasWildcard(name)) ctx.writeError(switchNotFound(name));
    for (const s of matches) if (!found.includes(s)) found.push(s);
  }
  return found;
}

const getVmSwitch: CmdletDef = {
  name: 'Get-VMSwitch',
  className: cls('GetVMSwitch'),
  // Microsoft's Get-VMSwitch reference: [[-Name] <String>] or [[-Id] <Guid[]>], -SwitchType.
  params: [
    { name: 'Name', type: 'string', aliases: ['SwitchName'], position: 0 },
    { name: 'Id', type: 'string[]' },
    switchTypeParam,
  ],
  process(ctx, params) {
    const name = params.Name === undefined ? null : toPsString(params.Name);
    const ids = params.Id === undefined ? null : (params.Id as unknown[]).map(toPsString);
    const matches = ctx.host
      .listVirtualSwitches()
      .filter(
        (s) =>
          (name === null || nameMatcher(name)(s.name)) &&
          (ids === null || ids.some((id) => id.toLowerCase() === s.id)) &&
          (params.SwitchType === undefined || params.SwitchType === s.switchType),
      );
    for (const s of matches) ctx.write(switchObject(ctx.host, s));
    if (matches.length === 0 && name !== null && !hasWildcard(name))
      ctx.writeError(switchNotFound(name));
    return Promise.resolve();
  },
};

/**
 * New-VMSwitch (Microsoft's reference, winserver2019-ps/hyper-v/New-VMSwitch.md): [-Name] at
 * position 0 (alias SwitchName), and one of three sets: -NetAdapterName (the default set),
 * -NetAdapterInterfaceDescription, or -SwitchType Internal|Private. The first two make an External
 * switch, which the engine refuses here: this host has no physical network adapter.
 */
const newVmSwitch: CmdletDef = {
  name: 'New-VMSwitch',
  className: cls('NewVMSwitch'),
  shouldProcess: true,
  parameterSets: [
    { name: 'NetAdapterName', mandatory: ['Name', 'NetAdapterName'] },
    {
      name: 'NetAdapterInterfaceDescription',
      mandatory: ['Name', 'NetAdapterInterfaceDescription'],
    },
    { name: 'SwitchType', mandatory: ['Name', 'SwitchType'] },
  ],
  params: [
    { name: 'Name', type: 'string', aliases: ['SwitchName'], position: 0 },
    switchTypeParam,
    { name: 'NetAdapterName', type: 'string[]', aliases: ['InterfaceAlias'] },
    {
      name: 'NetAdapterInterfaceDescription',
      type: 'string[]',
      aliases: ['InterfaceDescription'],
    },
    { name: 'AllowManagementOS', type: 'bool' },
    { name: 'Notes', type: 'string' },
  ],
  async process(ctx, params) {
    const name = toPsString(params.Name);
    const switchType: VirtualSwitchType =
      params.SwitchType === undefined ? 'External' : (params.SwitchType as VirtualSwitchType);
    if (!(await ctx.shouldProcess(name))) return;
    const created = await ctx.host.createVirtualSwitch({
      name,
      switchType,
      ...(params.Notes === undefined ? {} : { notes: toPsString(params.Notes) }),
    });
    ctx.write(switchObject(ctx.host, created));
  },
};

const nameOrSwitchSets = [
  { name: 'Name', mandatory: ['Name'] },
  { name: 'SwitchObject', mandatory: ['VMSwitch'] },
];

/**
 * Set-VMSwitch -Notes and -SwitchType (Internal or Private; Microsoft's Set-VMSwitch reference:
 * [-Name] <String[]> or [-VMSwitch] <VMSwitch[]>, -Passthru). The Default Switch is refused.
 */
const setVmSwitch: CmdletDef = {
  name: 'Set-VMSwitch',
  className: cls('SetVMSwitch'),
  shouldProcess: true,
  parameterSets: nameOrSwitchSets,
  params: [
    { name: 'Name', type: 'string[]', aliases: ['SwitchName'], position: 0 },
    vmSwitchParam,
    { name: 'Notes', type: 'string' },
    switchTypeParam,
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    await forEachTarget(ctx, targetSwitches(ctx, params), async (s) => {
      if (!(await ctx.shouldProcess(s.name))) return;
      const updated = await ctx.host.updateVirtualSwitch(s.id, {
        ...(params.Notes === undefined ? {} : { notes: toPsString(params.Notes) }),
        ...(params.SwitchType === undefined
          ? {}
          : { switchType: params.SwitchType as VirtualSwitchType }),
      });
      if (params.Passthru === true) ctx.write(switchObject(ctx.host, updated));
    });
  },
};

/**
 * Rename-VMSwitch (Microsoft's reference, winserver2019-ps/hyper-v/Rename-VMSwitch.md): [-Name]
 * <String> (from the pipeline too) or [-VMSwitch], then [-NewName]; -Passthru.
 */
const renameVmSwitch: CmdletDef = {
  name: 'Rename-VMSwitch',
  className: cls('RenameVMSwitch'),
  shouldProcess: true,
  parameterSets: [
    { name: 'Name', mandatory: ['Name', 'NewName'] },
    { name: 'SwitchObject', mandatory: ['VMSwitch', 'NewName'] },
  ],
  params: [
    {
      name: 'Name',
      type: 'string',
      aliases: ['SwitchName'],
      position: 0,
      pipelineByValue: true,
    },
    vmSwitchParam,
    { name: 'NewName', type: 'string', position: 1 },
    { name: 'Passthru', type: 'switch' },
  ],
  async process(ctx, params) {
    const newName = toPsString(params.NewName);
    await forEachTarget(ctx, targetSwitches(ctx, params), async (s) => {
      if (!(await ctx.shouldProcess(s.name))) return;
      const renamed = await ctx.host.updateVirtualSwitch(s.id, { name: newName });
      if (params.Passthru === true) ctx.write(switchObject(ctx.host, renamed));
    });
  },
};

/**
 * Remove-VMSwitch. Microsoft's reference gives it -Force, "Forces the command to run without
 * asking for user confirmation" (winserver2019-ps/hyper-v/Remove-VMSwitch.md): so it asks by
 * default, a High impact, and -Force or -Confirm:$false removes without asking. The VMs connected
 * to it are left with their adapter "Not connected".
 */
const removeVmSwitch: CmdletDef = {
  name: 'Remove-VMSwitch',
  className: cls('RemoveVMSwitch'),
  shouldProcess: true,
  confirmImpact: 'High',
  parameterSets: nameOrSwitchSets,
  params: [
    {
      name: 'Name',
      type: 'string[]',
      aliases: ['SwitchName'],
      position: 0,
      pipelineByValue: true,
    },
    vmSwitchParam,
    { name: 'Force', type: 'switch' },
  ],
  async process(ctx, params) {
    await forEachTarget(ctx, targetSwitches(ctx, params), async (s) => {
      const asked = await ctx.shouldProcess(s.name, {
        // [B] Hyper-V's own What if and question texts for a switch are not known; these follow
        // Remove-VM's ("Are you sure you want to remove virtual machine ...?").
        description: `Remove-VMSwitch will remove virtual switch "${s.name}".`,
        warning: `Are you sure you want to remove virtual switch "${s.name}"?`,
      });
      if (!asked) return;
      await ctx.host.removeVirtualSwitch(s.id);
    });
  },
};

export const vmSwitchCmdlets: CmdletDef[] = [
  getVmSwitch,
  newVmSwitch,
  setVmSwitch,
  renameVmSwitch,
  removeVmSwitch,
];
