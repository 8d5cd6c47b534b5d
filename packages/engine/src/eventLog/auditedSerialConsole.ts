/**
 * The event log's record of Virtual Machine Connection to a QEMU guest's serial console: who
 * connected to which VM's console, and when they disconnected. Hyper-V's own events for a
 * VMConnect session are not known (its VMMS Admin catalogue is not published), so the ids are this
 * host's own (eventCatalog.ts) and the messages its words.
 */
import type { Host } from '../host/host.js';
import type { SerialConsoleConnection } from '../serialConsoleTypes.js';
import type { VmId } from '../types.js';
import { EventIds, vmIdSuffix, type EventId } from './eventCatalog.js';
import type { EventLog } from './eventLog.js';

const OPERATION = 'Virtual Machine Connection';

interface VmNames {
  vmRef(vmId: VmId): { id: string; name: string } | null;
  readonly log: EventLog;
}

function record(audit: VmNames, user: string, vmId: VmId, eventId: EventId, what: string): void {
  const vm = audit.vmRef(vmId);
  if (vm === null) return;
  void audit.log.record(
    {
      level: 'Information',
      eventId,
      vm,
      operation: OPERATION,
      outcome: 'Succeeded',
      message: `'${user}' ${what} the serial console of '${vm.name}'. ${vmIdSuffix(vm.id)}`,
    },
    user,
  );
}

/** `connectSerialConsole` of `raw`, with the connection and its end in the event log. */
export function auditedSerialConsole(
  raw: Pick<Host, 'connectSerialConsole'>,
  audit: VmNames,
  user: string,
): Pick<Host, 'connectSerialConsole'> {
  return {
    connectSerialConsole: (vmId, viewer): SerialConsoleConnection => {
      const connection = raw.connectSerialConsole(vmId, viewer);
      record(audit, user, vmId, EventIds.SerialConsoleConnected, 'connected to');
      let connected = true;
      return {
        backlog: connection.backlog,
        disconnect: () => {
          if (!connected) return;
          connected = false;
          connection.disconnect();
          record(audit, user, vmId, EventIds.SerialConsoleDisconnected, 'disconnected from');
        },
      };
    },
  };
}
