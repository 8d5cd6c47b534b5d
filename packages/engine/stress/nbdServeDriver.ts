// One process of the NBD kill trials (nbdKill.ts): serves a VM's disk chain over NBD, as the
// host does for a QEMU guest, until it is killed. Prints READY once the socket listens.
import { startNbdServer } from '@hvm/nbd';
import { nodeFileStore } from '@hvm/engine';
import { openGuestDiskExport, vhdxDiskLibrary } from '@hvm/engine/testing';

export interface NbdServeJob {
  folder: string;
  disk: string;
  socketPath: string;
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? '{}') as NbdServeJob;
  const disk = await openGuestDiskExport(vhdxDiskLibrary, nodeFileStore(job.folder), job.disk);
  await startNbdServer({
    socketPath: job.socketPath,
    exports: (name) => (name === 'disk0' ? disk : undefined),
  });
  process.stdout.write('READY\n');
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
