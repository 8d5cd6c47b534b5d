/** Get-VMSwitch: the host's one virtual switch, the "Default Switch" of Windows 10 and 11. */
import type { Host } from '@hvm/engine';
import { PsError } from '../errors.js';
import { hasWildcard } from '../runtime/evaluate.js';
import { PsObject, toPsString } from '../runtime/values.js';
import { nameMatcher } from './objects.js';
import type { CmdletDef } from './types.js';

export const VM_SWITCH_TYPE = 'Microsoft.HyperV.PowerShell.VMSwitch';

/**
 * Windows 10 (1709 and later) and 11 create "Default Switch", an Internal switch with NAT, with
 * the same ID on every machine (tools find it by that ID: canonical/multipass, crc-org/crc). This
 * host simulates that switch only: there is no other network to switch to.
 */
export const DEFAULT_SWITCH = {
  name: 'Default Switch',
  id: 'c08cb7b8-9b3c-408e-8e30-5e16a3aeb444',
  type: 'Internal',
} as const;

export function defaultSwitchObject(host: Host): PsObject {
  return new PsObject(VM_SWITCH_TYPE, {
    Name: DEFAULT_SWITCH.name,
    Id: DEFAULT_SWITCH.id,
    Notes: '',
    SwitchType: DEFAULT_SWITCH.type,
    AllowManagementOS: true,
    NetAdapterInterfaceDescription: '',
    ComputerName: host.info().name,
  });
}

/**
 * No switch of that name: [B] Hyper-V's wording for Get-VMSwitch was not found; this follows its
 * "Hyper-V was unable to find a virtual machine with name" record.
 */
function switchNotFound(name: string): PsError {
  return new PsError(`Hyper-V was unable to find a virtual switch with name "${name}".`, {
    category: 'InvalidArgument',
    errorId: 'InvalidParameter',
    exceptionType: 'VirtualizationException',
    target: name,
    targetType: 'String',
  });
}

const getVmSwitch: CmdletDef = {
  name: 'Get-VMSwitch',
  className: 'Microsoft.HyperV.PowerShell.Commands.GetVMSwitch',
  // Microsoft's Get-VMSwitch reference: [[-Name] <String>] or [[-Id] <Guid[]>], -SwitchType.
  params: [
    { name: 'Name', type: 'string', aliases: ['SwitchName'], position: 0 },
    { name: 'Id', type: 'string[]' },
    {
      name: 'SwitchType',
      type: 'enum',
      enumValues: ['Private', 'Internal', 'External'],
      enumType: 'Microsoft.HyperV.PowerShell.VMSwitchType',
    },
  ],
  process(ctx, params) {
    const name = params.Name === undefined ? null : toPsString(params.Name);
    const ids = params.Id === undefined ? null : (params.Id as unknown[]).map(toPsString);
    const matches =
      (name === null || nameMatcher(name)(DEFAULT_SWITCH.name)) &&
      (ids === null || ids.some((id) => id.toLowerCase() === DEFAULT_SWITCH.id)) &&
      (params.SwitchType === undefined || params.SwitchType === DEFAULT_SWITCH.type);
    if (matches) ctx.write(defaultSwitchObject(ctx.host));
    else if (name !== null && !hasWildcard(name)) ctx.writeError(switchNotFound(name));
    return Promise.resolve();
  },
};

export const vmSwitchCmdlets: CmdletDef[] = [getVmSwitch];
