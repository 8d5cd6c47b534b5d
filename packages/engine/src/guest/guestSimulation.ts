/**
 * `setGuestSimulation`: turns a VM's simulated guest faults on or off (see
 * guestSimulationTypes.ts; a simulation extension, not Hyper-V's). Any state; the change is
 * committed to the VM's JSON before it resolves and acts from the next checkpoint or Shut Down.
 */
import { invalidArgument } from '../errors.js';
import type { GuestSimulation } from '../guestSimulationTypes.js';
import { persistVm, type HostContext, type VmRuntime } from '../host/hostContext.js';
import { guestFaultsOf, NO_GUEST_FAULTS } from './guestFaults.js';

const FAULTS = Object.keys(NO_GUEST_FAULTS) as (keyof GuestSimulation)[];

/** The update as given: an object of known faults, each true or false; else INVALID_ARGUMENT. */
export function validateGuestSimulationUpdate(raw: unknown): Partial<GuestSimulation> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw invalidArgument('guestSimulation', 'The guest simulation must be an object.');
  const update: Partial<GuestSimulation> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!(FAULTS as string[]).includes(key))
      throw invalidArgument(
        key,
        `Unknown guest simulation fault '${key}'. The faults are: ${FAULTS.join(', ')}.`,
      );
    if (value === undefined) continue;
    if (typeof value !== 'boolean')
      throw invalidArgument(key, `The guest simulation fault '${key}' must be true or false.`);
    update[key as keyof GuestSimulation] = value;
  }
  return update;
}

export async function setGuestSimulation(
  ctx: HostContext,
  vm: VmRuntime,
  raw: unknown,
): Promise<GuestSimulation> {
  const update = validateGuestSimulationUpdate(raw);
  const next = { ...guestFaultsOf(vm.file), ...update };
  const before = vm.file.guestSimulation;
  if (FAULTS.every((fault) => !next[fault])) delete vm.file.guestSimulation;
  else vm.file.guestSimulation = next;
  try {
    await persistVm(ctx, vm);
  } catch (error) {
    if (before === undefined) delete vm.file.guestSimulation;
    else vm.file.guestSimulation = before;
    throw error;
  }
  const changed = FAULTS.filter((fault) => update[fault] !== undefined)
    .map((fault) => `${fault} ${next[fault] ? 'on' : 'off'}`)
    .join(', ');
  if (changed !== '') vm.guest?.say(`Simulation: ${changed}.`);
  return next;
}
