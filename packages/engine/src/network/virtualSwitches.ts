/**
 * The host's virtual switches (Virtual Switch Manager, New-/Get-/Set-/Rename-/Remove-VMSwitch) and
 * which switch each VM's network adapter is connected to (Connect-/Disconnect-VMNetworkAdapter).
 *
 * "Default Switch" (`switchRegistry.ts`) is always there and cannot be removed. The switches an
 * administrator creates are written atomically to `virtual-switches.json` in the data folder, beside
 * `host-settings.json`, so a crash leaves the old list or the new one.
 *
 * A VM's configuration holds the ID of the switch its adapter is connected to (`networkSwitchId`; absent
 * in records written before switches existed: the Default Switch, where every VM was). An ID that
 * names no switch (a switch removed while the VM's record was being written, an imported VM from
 * another host) reads as "Not connected", so a crash between the two writes of a removal loses
 * nothing and leaves no adapter on a switch that does not exist.
 */
import { EngineError, ErrorCode, invalidArgument } from '../errors.js';
import { validateName } from '../checkpoint/checkpointName.js';
import { emitVmChanged } from '../vm/vmView.js';
import { persistVm, type HostContext, type VmRuntime } from '../host/hostContext.js';
import { isWriteLeftover } from '../persistence/layout.js';
import { sameName } from '../names/nameRule.js';
import {
  DEFAULT_SWITCH,
  allSwitches,
  createdSwitches,
  setCreatedSwitches,
  switchOfVm,
  type SwitchRecord,
} from './switchRegistry.js';
import {
  VIRTUAL_SWITCH_TYPES,
  type NewVirtualSwitchInput,
  type RemovedVirtualSwitch,
  type VirtualSwitch,
  type VirtualSwitchUpdate,
} from './switchTypes.js';

export const VIRTUAL_SWITCHES_PATH = 'virtual-switches.json';

/**
 * At most this many switches an administrator creates: a bound of ours (Hyper-V's own limit is
 * not documented for a client host), so that no script can grow the list without end.
 */
export const MAX_VIRTUAL_SWITCHES = 64;
/** Set-VMSwitch -Notes: as Set-VM -Notes here, at most 10000 characters (our bound). */
export const MAX_SWITCH_NOTES = 10_000;

function toVirtualSwitch(ctx: HostContext, record: SwitchRecord): VirtualSwitch {
  let connectedAdapterCount = 0;
  for (const vm of ctx.vms.values())
    if (switchOfVm(ctx, vm.file)?.id === record.id) connectedAdapterCount += 1;
  return {
    id: record.id,
    name: record.name,
    switchType: record.switchType,
    notes: record.notes,
    isDefaultSwitch: record.id === DEFAULT_SWITCH.id,
    connectedAdapterCount,
  };
}

/** Get-VMSwitch: the Default Switch first, then the others by name. */
export function listVirtualSwitches(ctx: HostContext): VirtualSwitch[] {
  const created = [...createdSwitches(ctx)].sort(
    (a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id),
  );
  return [DEFAULT_SWITCH, ...created].map((s) => toVirtualSwitch(ctx, s));
}

/**
 * No switch with that ID. [B] Hyper-V's wording for a switch is not known; this follows its
 * "Hyper-V was unable to find a virtual machine with name" record.
 */
function switchNotFound(switchId: string): EngineError {
  return new EngineError(
    ErrorCode.NotFound,
    `Hyper-V was unable to find a virtual switch with ID "${switchId}".`,
    { object: 'virtual switch', id: switchId },
  );
}

export function findSwitch(ctx: HostContext, switchId: unknown): SwitchRecord {
  const id = typeof switchId === 'string' ? switchId.toLowerCase() : '';
  const found = allSwitches(ctx).find((s) => s.id === id);
  if (found === undefined) throw switchNotFound(String(switchId));
  return found;
}

/** Reads `virtual-switches.json`; a missing or unreadable file means no switch but the Default Switch. */
export async function loadVirtualSwitches(ctx: HostContext): Promise<void> {
  for (const name of await ctx.store.list(''))
    if (isWriteLeftover(name, VIRTUAL_SWITCHES_PATH)) await ctx.store.unlink(name);
  if (!(await ctx.store.exists(VIRTUAL_SWITCHES_PATH))) return;
  try {
    const raw = JSON.parse(
      new TextDecoder().decode(await ctx.store.readFile(VIRTUAL_SWITCHES_PATH)),
    ) as { switches?: unknown };
    const records: SwitchRecord[] = [];
    for (const entry of Array.isArray(raw.switches) ? raw.switches : []) {
      const s = entry as Partial<SwitchRecord>;
      const switchType = VIRTUAL_SWITCH_TYPES.find((type) => type === s.switchType);
      if (
        typeof s.id !== 'string' ||
        typeof s.name !== 'string' ||
        switchType === undefined ||
        s.id === DEFAULT_SWITCH.id ||
        records.length >= MAX_VIRTUAL_SWITCHES
      )
        continue;
      records.push({
        id: s.id.toLowerCase(),
        name: s.name,
        switchType,
        notes: typeof s.notes === 'string' ? s.notes : '',
      });
    }
    setCreatedSwitches(ctx, records);
  } catch (error) {
    ctx.logError(`The virtual switches in '${VIRTUAL_SWITCHES_PATH}' could not be read.`, error);
  }
}

async function saveSwitches(ctx: HostContext, records: SwitchRecord[]): Promise<void> {
  const text = `${JSON.stringify({ switches: records }, null, 2)}\n`;
  await ctx.store.writeFileAtomic(VIRTUAL_SWITCHES_PATH, new TextEncoder().encode(text));
  setCreatedSwitches(ctx, records);
}

/**
 * One name, one switch: [B] whether Hyper-V refuses a second switch of the same name is not
 * verified; this host refuses it, so that `-SwitchName` always names one switch. The sentence is
 * ours, in the words of the VM rule ("A virtual machine named '...' already exists.").
 */
function assertSwitchNameFree(ctx: HostContext, name: string, exceptId?: string): void {
  if (allSwitches(ctx).some((s) => s.id !== exceptId && sameName(s.name, name))) {
    throw new EngineError(
      ErrorCode.NameConflict,
      `A virtual switch named '${name}' already exists.`,
      { name },
    );
  }
}

function validateNotes(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length > MAX_SWITCH_NOTES)
    throw invalidArgument('notes', `Notes must be text of at most ${MAX_SWITCH_NOTES} characters.`);
  return raw;
}

/**
 * The Default Switch is Windows' own: it cannot be removed, renamed or changed. [B] Hyper-V's
 * exact refusal is not known (Virtual Switch Manager greys its settings out); the sentence is ours.
 */
function refuseDefaultSwitch(record: SwitchRecord, what: string): void {
  if (record.id !== DEFAULT_SWITCH.id) return;
  // The switch's own state refuses the change (409), as a Hyper-V object that cannot be changed now.
  throw new EngineError(
    ErrorCode.InvalidState,
    `The virtual switch '${DEFAULT_SWITCH.name}' cannot be ${what}: Windows creates and manages it.`,
    { object: 'virtual switch', id: record.id },
  );
}

/** Private or Internal; External is refused (see `createVirtualSwitch`). */
function validateSwitchType(raw: unknown): 'Private' | 'Internal' {
  if (raw === 'Private' || raw === 'Internal') return raw;
  if (raw === 'External') {
    // A value this host cannot take (422, like any other refused argument), not a server fault.
    throw invalidArgument(
      'switchType',
      'An External virtual switch needs a physical network adapter to bind to, and this host has none. Create an Internal or Private switch instead.',
    );
  }
  throw invalidArgument('switchType', 'The switch type must be Private, Internal or External.');
}

/**
 * New-VMSwitch -SwitchType Internal or Private. An External switch binds one of the host's
 * physical network adapters (New-VMSwitch -NetAdapterName; "To create an External virtual switch,
 * specify either the NetAdapterInterfaceDescription or the NetAdapterName parameter", Microsoft's
 * New-VMSwitch reference); this simulated host has none, so it is refused. [B] the sentence is
 * ours: Hyper-V's text for a host without a physical adapter is not known.
 */
export async function createVirtualSwitch(
  ctx: HostContext,
  input: NewVirtualSwitchInput,
): Promise<VirtualSwitch> {
  const name = validateName('name', input.name, 'virtual switch');
  const switchType = validateSwitchType(input.switchType);
  const notes = input.notes === undefined ? '' : validateNotes(input.notes);
  assertSwitchNameFree(ctx, name);
  const created = createdSwitches(ctx);
  if (created.length >= MAX_VIRTUAL_SWITCHES) {
    throw new EngineError(
      ErrorCode.LimitExceeded,
      `This host holds at most ${MAX_VIRTUAL_SWITCHES} virtual switches besides the Default Switch.`,
      { limit: MAX_VIRTUAL_SWITCHES },
    );
  }
  const record: SwitchRecord = {
    id: ctx.ids.newGuid().toLowerCase(),
    name,
    switchType,
    notes,
  };
  await saveSwitches(ctx, [...created, record]);
  return toVirtualSwitch(ctx, record);
}

/** Rename-VMSwitch and Set-VMSwitch -Notes / -SwitchType: all or nothing. */
export async function updateVirtualSwitch(
  ctx: HostContext,
  switchId: string,
  update: VirtualSwitchUpdate,
): Promise<VirtualSwitch> {
  const record = findSwitch(ctx, switchId);
  refuseDefaultSwitch(record, 'changed');
  const next = { ...record };
  if (update.name !== undefined) {
    next.name = validateName('name', update.name, 'virtual switch', record.name);
    assertSwitchNameFree(ctx, next.name, record.id);
  }
  if (update.notes !== undefined) next.notes = validateNotes(update.notes);
  // Set-VMSwitch -SwitchType and Virtual Switch Manager's Connection type: Internal <-> Private.
  if (update.switchType !== undefined) next.switchType = validateSwitchType(update.switchType);
  await saveSwitches(
    ctx,
    createdSwitches(ctx).map((s) => (s.id === record.id ? next : s)),
  );
  // The VMs on it show its new name.
  for (const vm of ctx.vms.values())
    if (switchOfVm(ctx, vm.file)?.id === record.id) emitVmChanged(ctx, vm);
  return toVirtualSwitch(ctx, next);
}

/**
 * Remove-VMSwitch. The adapters connected to it are disconnected first ("Not connected", as
 * Hyper-V leaves a VM's adapter whose switch was deleted; [B] observed behaviour, no Microsoft page
 * found that says it), each VM's record written, then the switch list: a crash in between leaves
 * the switch with fewer adapters, which a second removal finishes.
 */
export async function removeVirtualSwitch(
  ctx: HostContext,
  switchId: string,
): Promise<RemovedVirtualSwitch> {
  const record = findSwitch(ctx, switchId);
  refuseDefaultSwitch(record, 'removed');
  const virtualSwitch = toVirtualSwitch(ctx, record);
  const disconnectedVmIds: string[] = [];
  for (const vm of ctx.vms.values()) {
    if (switchOfVm(ctx, vm.file)?.id !== record.id) continue;
    await setAdapterSwitch(ctx, vm, null);
    disconnectedVmIds.push(vm.file.id);
  }
  await saveSwitches(
    ctx,
    createdSwitches(ctx).filter((s) => s.id !== record.id),
  );
  return { virtualSwitch: { ...virtualSwitch, connectedAdapterCount: 0 }, disconnectedVmIds };
}

async function setAdapterSwitch(
  ctx: HostContext,
  vm: VmRuntime,
  switchId: string | null,
): Promise<void> {
  // A failed write puts the record back as the disk holds it (persistVm).
  vm.file.configuration.networkSwitchId = switchId;
  await persistVm(ctx, vm);
  emitVmChanged(ctx, vm);
}

/** Connect-VMNetworkAdapter -SwitchName: running or not, as Hyper-V lets an adapter change switch. */
export async function connectNetworkAdapter(
  ctx: HostContext,
  vm: VmRuntime,
  switchId: string,
): Promise<void> {
  const record = findSwitch(ctx, switchId);
  await setAdapterSwitch(ctx, vm, record.id);
}

/** Disconnect-VMNetworkAdapter: the adapter stays, "Not connected". */
export async function disconnectNetworkAdapter(ctx: HostContext, vm: VmRuntime): Promise<void> {
  await setAdapterSwitch(ctx, vm, null);
}
