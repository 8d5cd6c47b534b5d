import type { GuestSimulationUpdate, VmId } from '@hvm/engine';
import type { VmDetailBody } from './bodies';
import { request } from './client';

/**
 * PATCH /vms/{vmId}/guest-simulation: the simulator's guest faults (not Hyper-V's), on `hostPath`
 * (the selected server when undefined).
 */
export function setGuestSimulation(
  vmId: VmId,
  update: GuestSimulationUpdate,
  hostPath?: string,
): Promise<VmDetailBody> {
  return request<VmDetailBody>(`/vms/${encodeURIComponent(vmId)}/guest-simulation`, {
    method: 'PATCH',
    body: update,
    hostPath,
  });
}
