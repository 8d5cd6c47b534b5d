/**
 * The simulated domain controller's replication and its virtualization safeguards.
 *
 * A replication partner outside the VM (`VmFile.replicationPartner`, never rolled back) pulls the
 * DC's committed changes and remembers the highest USN it has seen under the DC's invocation ID.
 * A DC whose USNs went back under the same invocation ID is caught by it: USN rollback, NTDS
 * Replication event 2095 (behaviour spec R32's "before" case).
 *
 * The safeguards (Microsoft Learn, "Virtualized domain controller architecture", safe restore
 * section; behaviour spec R32): AD DS keeps the VM-Generation ID it last saw (msDS-GenerationId)
 * and compares it with the one the hypervisor exposes, at boot and before every update. When they
 * differ (a checkpoint was applied, the VM was imported or restored), it resets its invocation ID
 * and discards its RID pool, then saves the new ID: its partner knows nothing of the new
 * invocation ID, so it replicates everything and there is no USN rollback. The events it writes
 * are Microsoft's ("Virtualized domain controller troubleshooting"): Directory Service 2170 (A
 * Generation ID change has been detected), NTDS Replication 1109 (the invocationID attribute was
 * changed) and System 16654 from Directory-Services-SAM (a pool of account-identifiers (RIDs) has
 * been invalidated). Only each event's first sentence is quoted; the rest of each console line is
 * this simulator's. A DC with no cached ID (the first boot after promotion) only saves the
 * current one. A host without VM-Generation ID support is not modelled.
 */
import type { VmFile } from '../persistence/records.js';
import type { GuestImage } from './gallery.js';
import type { GuestMemoryState } from './guestMemory.js';

/** What the DC logic needs of its guest: the image, its memory, its VM's record and its console. */
export interface DomainControllerGuest {
  readonly image: GuestImage;
  readonly memory: GuestMemoryState;
  readonly file: VmFile;
  say(line: string): void;
}

const sameId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * Compares the VM-Generation ID the DC last saw (`cached`: from its database header at boot, from
 * memory on resume) with the VM's; applies the safeguards when they differ. True when it did.
 */
export function checkVmGenerationId(dc: DomainControllerGuest, cached: string | null): boolean {
  if (!dc.image.domainController) return false;
  const current = dc.file.vmGenerationId;
  if (current === undefined) return false;
  const s = dc.memory;
  s.generationId = current;
  if (cached === null || sameId(cached, current)) return false;
  s.invocation += 1;
  dc.say(
    `Directory Service event 2170 (Warning): A Generation ID change has been detected. Cached: ${cached}; now: ${current}.`,
  );
  dc.say(
    `NTDS Replication event 1109: The invocationID attribute for this directory server has been changed (new invocation ${s.invocation}, highest USN ${s.lastCommitted}).`,
  );
  dc.say(
    'System event 16654 (Directory-Services-SAM): A pool of account-identifiers (RIDs) has been invalidated.',
  );
  s.boot = {
    kind: 'vm-generation-id-changed',
    message: `The VM-Generation ID changed: Active Directory reset its invocation ID (now ${s.invocation}) and discarded its RID pool; its partner replicates everything under the new invocation ID and sends back what was lost. No USN rollback.`,
  };
  dc.say(s.boot.message);
  return true;
}

/** The replication partner pulls the domain controller's committed changes. */
export function replicate(dc: DomainControllerGuest): void {
  if (!dc.image.domainController) return;
  const partner = dc.file.replicationPartner;
  if (partner?.rollbackDetected !== false) return;
  if (partner.invocation === dc.memory.invocation)
    partner.highestUsnSeen = Math.max(partner.highestUsnSeen, dc.memory.lastCommitted);
}

/** On boot or resume: the partner compares the USNs it has seen with what the DC now issues. */
export function checkReplication(dc: DomainControllerGuest): void {
  if (!dc.image.domainController) return;
  const s = dc.memory;
  const partner = dc.file.replicationPartner;
  if (partner?.invocation !== s.invocation) {
    dc.file.replicationPartner = {
      invocation: s.invocation,
      highestUsnSeen: s.lastCommitted,
      rollbackDetected: false,
    };
    return;
  }
  if (s.lastCommitted < partner.highestUsnSeen) {
    partner.rollbackDetected = true;
    s.boot = {
      kind: 'usn-rollback',
      message: `USN rollback: the replication partner has already seen USN ${partner.highestUsnSeen} from this domain controller's invocation ID, which now issues USN ${s.lastCommitted + 1}. The partner stopped replicating with it (NTDS Replication event 2095).`,
    };
    dc.say(s.boot.message);
  }
}
