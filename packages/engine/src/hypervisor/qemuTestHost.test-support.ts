/**
 * What the QEMU integration tests share: a test host whose guests run under QEMU with TCG (the
 * gallery's images built on demand), a tiny-linux VM on it, a VM's running QEMU guest, a folder
 * and a host of each test's own, and the wait for the guest workload's next ledger line.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ensureGuestImage,
  parseGuestSerialLine,
  type GuestImageName,
  type GuestSerialLine,
} from '@hvm/guest-image';
import type { SerialConsole } from '@hvm/qemu';
import { nodeFileStore, type FileStore } from '@hvm/vhdx';
import { afterEach, beforeEach } from 'vitest';
import type { Host } from '../host/host.js';
import { createTestHost, qemuGuestOf, type TestHost } from '../testing/index.js';
import type { VmDetail, VmId } from '../types.js';
import type { QemuGuest } from './qemuGuest.js';

export async function createQemuTestHost(store: FileStore): Promise<TestHost> {
  await ensureGuestImage('tiny-linux');
  return createTestHost({
    store,
    hypervisor: { kind: 'qemu', accelerator: 'tcg' },
    qemuGuestImage: (name) => ensureGuestImage(name as GuestImageName),
  });
}

/** Each test's own folder and the QEMU host a test starts in it. */
export interface QemuTestFolder {
  /** The test's temporary folder (new for each test). */
  readonly root: string;
  /** The host the test works on; closed after the test (which saves a guest still running). */
  host: Host | undefined;
  /** Starts a QEMU test host on a file store over `root` and makes it `host`. */
  startHost(): Promise<TestHost>;
}

/**
 * Gives each test of the file a new temporary folder named from `prefix`; after the test its host
 * is closed, so no QEMU is left running, and the folder is removed.
 */
export function eachTestInItsOwnFolder(prefix: string): QemuTestFolder {
  let root = '';
  const folder: QemuTestFolder = {
    get root() {
      return root;
    },
    host: undefined,
    async startHost() {
      const test = await createQemuTestHost(nodeFileStore(root));
      folder.host = test.host;
      return test;
    },
  };
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), prefix));
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && folder.host !== undefined)
      showGuestConsoles(folder.host);
    await folder.host?.close();
    folder.host = undefined;
    await rm(root, { recursive: true, force: true });
  });
  return folder;
}

/** After a failed test: the end of each running guest's console, to show what the guest did. */
function showGuestConsoles(host: Host): void {
  for (const vm of host.listVms()) {
    const guest = qemuGuestOf(host, vm.id);
    if (guest !== null)
      console.error(`console of ${vm.name}:\n${guest.qemu.console.text().slice(-4000)}`);
  }
}

/** A VM of the guest image with 192 MB of memory and a new 64 MiB disk. */
export function createGuestVm(
  host: Host,
  name: string,
  image: GuestImageName = 'tiny-linux',
): Promise<VmDetail> {
  return host.createVm({
    name,
    memoryStartupMB: 192,
    diskSizeBytes: 64 * 1024 * 1024,
    guestImage: image,
  });
}

/** The VM's running QEMU guest; throws when it has none. */
export function requireQemuGuest(host: Host | undefined, vmId: VmId): QemuGuest {
  const guest = host === undefined ? null : qemuGuestOf(host, vmId);
  if (guest === null) throw new Error('the VM has no QEMU guest');
  return guest;
}

/** A ledger line of the guest's workload: its committed and in-flight records, boot and uptime. */
export type LedgerLine = Extract<GuestSerialLine, { kind: 'ledger' }>;

/**
 * The next ledger line the guest prints that satisfies `accept`; fails after `timeoutMs` with the
 * end of the console's output, to show what the guest did instead.
 */
export function nextLedgerLine(
  serial: Pick<SerialConsole, 'onLine' | 'text'>,
  accept: (line: LedgerLine) => boolean,
  timeoutMs: number,
): Promise<LedgerLine> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no ledger line in time; console:\n${serial.text().slice(-3000)}`));
    }, timeoutMs);
    const stop = serial.onLine((line) => {
      const parsed = parseGuestSerialLine(line);
      if (parsed?.kind !== 'ledger' || !accept(parsed)) return;
      clearTimeout(timer);
      stop();
      resolve(parsed);
    });
  });
}
