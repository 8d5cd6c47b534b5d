/** The OpenAPI entry of the simulated guest faults (a simulation extension, not Hyper-V's). */
import { guestSimulationBody } from '../routes/guestSimulation.js';
import { json, operation, vmIdParam } from './operations.js';
import { ref } from './schemas.js';
import type { JsonSchema, PathItemObject } from './types.js';

const bool: JsonSchema = { type: 'boolean' };

export const guestSimulationSchemas: Record<string, JsonSchema> = {
  GuestSimulation: {
    type: 'object',
    description:
      "Simulated guest faults (not Hyper-V's): a failing VSS writer, the backup daemon stopped in the guest, a guest that ignores Shut Down.",
    properties: { vssWriterFails: bool, backupDaemonStopped: bool, ignoresShutdown: bool },
    required: ['vssWriterFails', 'backupDaemonStopped', 'ignoresShutdown'],
  },
};

export const guestSimulationPaths: Record<string, PathItemObject> = {
  '/vms/{vmId}/guest-simulation': {
    patch: operation({
      operationId: 'setGuestSimulation',
      summary: "Simulation extension (not Hyper-V's): turn the guest's simulated faults on or off",
      tag: 'guests',
      parameters: [vmIdParam],
      body: { schema: guestSimulationBody, required: true },
      errors: { conflicts: true },
      responses: {
        '200': { description: 'The VM after the change.', content: json(ref('VmDetail')) },
      },
    }),
  },
};
