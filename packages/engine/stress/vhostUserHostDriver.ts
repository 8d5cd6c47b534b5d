// One host process of the vhost-user-blk kill trials (vhostUserKill.ts): starts a real tiny-linux
// guest under QEMU (TCG) on a VM's disk chain, its disk served from this process over vhost-user-blk,
// as the host does, and runs until it is killed. It prints one JSON line per event on standard
// output (`HostEvent`): QEMU's pid and the disk's transport once the guest runs, then each of the
// guest's own HVM- serial lines (@hvm/guest-image's parseGuestSerialLine) as it comes.
import { ensureGuestImage, parseGuestSerialLine, type GuestSerialLine } from '@hvm/guest-image';
import { QemuGuest, nodeFileStore } from '@hvm/engine';
import { vhdxDiskLibrary } from '@hvm/engine/testing';

export interface HostJob {
  folder: string;
  disk: string;
}

export type HostEvent =
  | { event: 'started'; qemuPid: number; diskTransport: string }
  | { event: 'serial'; line: GuestSerialLine }
  | { event: 'qemu-exited'; code: number | null; signal: string | null };

function say(event: HostEvent): void {
  // Standard output is a pipe here, written synchronously on Linux: a line printed is a line sent.
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as HostJob;
  const image = await ensureGuestImage('tiny-linux');
  const guest = await QemuGuest.start(
    {
      vmName: 'Kill VM',
      vmId: '0d7c2a61-6a8e-4b55-9a0e-3f3d2b9c4e21',
      library: vhdxDiskLibrary,
      store: nodeFileStore(job.folder),
      image,
      memoryMiB: 192,
      processorCount: 1,
      accelerator: 'tcg',
      diskTransport: 'vhost-user-blk',
      log: (message) => process.stderr.write(`${message}\n`),
    },
    job.disk,
  );
  const qemuPid = guest.qemu.pid;
  if (qemuPid === undefined) throw new Error('QEMU started without a process id');
  say({ event: 'started', qemuPid, diskTransport: guest.diskTransport });
  guest.qemu.console.onLine((text) => {
    const line = parseGuestSerialLine(text);
    if (line !== undefined) say({ event: 'serial', line });
  });
  const exit = await guest.qemu.exited;
  say({ event: 'qemu-exited', code: exit.code, signal: exit.signal });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
