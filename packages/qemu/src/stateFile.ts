/**
 * Saving a machine's device and memory state into a file with QMP `migrate` (QEMU's
 * `docs/devel/migration.rst`; QMP reference: `migrate`, `query-migrate`, `migrate-set-capabilities`).
 *
 * - In the foreground: the machine is paused and stays paused while its whole memory is written.
 * - In the background (capability `background-snapshot`, QEMU 6.0+): QEMU saves the device state of
 *   the paused machine, write-protects its memory with userfaultfd and lets the processors run
 *   again at once; a page the guest is about to write is saved first, so the file holds the memory
 *   as it was at the pause. The pause no longer grows with the memory. The host kernel must have
 *   userfaultfd write-protection for anonymous memory (Linux 5.7+); where it lacks it, QEMU refuses
 *   the capability and the caller saves in the foreground.
 *
 * QEMU 7.2 has no `file:` migration URI (8.2 added it): the state goes through `exec:cat` with the
 * path quoted for the shell. The file is made durable (fsync) before the save counts as done.
 */
import { open } from 'node:fs/promises';
import { shellQuote } from './machineArgs.js';
import { QmpError, type QmpClient } from './qmp.js';

/** How often the state of a migration is asked for. */
const POLL_MS = 25;

interface MigrationInfo {
  status?: string;
  'error-desc'?: string;
  ram?: { total?: number; remaining?: number };
}

export interface SaveProgress {
  /** The share of the memory written, from 0 to 1. */
  onProgress?: (share: number) => void;
  /** The most bytes per second the state is written at (QMP `max-bandwidth`); 0 or absent: no limit. */
  maxBytesPerSecond?: number;
}

/** A save that goes on while the machine runs. */
export interface BackgroundSave {
  /** Resolves once the whole state is in the file and the file is durable; rejects when it failed. */
  readonly written: Promise<void>;
}

/** Why QEMU would not save in the background here (QEMU's own words). */
export interface BackgroundSaveRefused {
  readonly refused: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Makes what was written to `file` durable (fsync). */
export async function makeDurable(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function setBackgroundSnapshot(qmp: QmpClient, state: boolean): Promise<void> {
  await qmp.execute('migrate-set-capabilities', {
    capabilities: [{ capability: 'background-snapshot', state }],
  });
}

/** Turns the capability off, so that a later foreground save (Save) is not one in the background. */
async function backgroundSnapshotOff(qmp: QmpClient): Promise<void> {
  // A QEMU without the capability has nothing to turn off.
  await setBackgroundSnapshot(qmp, false).catch(() => undefined);
}

async function startMigration(
  qmp: QmpClient,
  file: string,
  maxBytesPerSecond: number | undefined,
): Promise<void> {
  const limit =
    maxBytesPerSecond !== undefined && maxBytesPerSecond > 0
      ? Math.ceil(maxBytesPerSecond)
      : Number.MAX_SAFE_INTEGER;
  await qmp.execute('migrate-set-parameters', { 'max-bandwidth': limit });
  await qmp.execute('migrate', { uri: `exec:cat > ${shellQuote(file)}` });
}

/** Waits for the migration to complete, reporting the share of memory written. */
async function migrationCompleted(
  qmp: QmpClient,
  onProgress: ((share: number) => void) | undefined,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const info = await qmp.execute<MigrationInfo>('query-migrate');
    if (info.status === 'completed') {
      onProgress?.(1);
      return;
    }
    if (info.status === 'failed' || info.status === 'cancelled')
      throw new Error(`saving the state failed: ${info['error-desc'] ?? info.status}`);
    const total = info.ram?.total ?? 0;
    const remaining = info.ram?.remaining ?? total;
    if (total > 0) onProgress?.(Math.min(1, Math.max(0, 1 - remaining / total)));
    if (Date.now() > deadline) {
      await qmp.execute('migrate_cancel').catch(() => undefined);
      throw new Error(`saving the state took more than ${timeoutMs} ms`);
    }
    await sleep(POLL_MS);
  }
}

/**
 * Saves the state of a paused machine into `file` and returns once it is there and durable; the
 * machine stays paused (QEMU's `postmigrate`).
 */
export async function saveStateInForeground(
  qmp: QmpClient,
  file: string,
  timeoutMs: number,
  progress: SaveProgress = {},
): Promise<void> {
  await backgroundSnapshotOff(qmp);
  await startMigration(qmp, file, progress.maxBytesPerSecond);
  await migrationCompleted(qmp, progress.onProgress, timeoutMs);
  await makeDurable(file);
}

/**
 * Saves the state of a paused machine, as it is now, into `file` in the background: resolves once
 * QEMU has saved the device state and lets the processors run again (its `RESUME`), with
 * `written` for the memory. When QEMU refuses (no userfaultfd write-protection, or a capability
 * it does not have), the machine is still paused, nothing is written, and the answer says why.
 */
export async function saveStateInBackground(
  qmp: QmpClient,
  file: string,
  timeoutMs: number,
  progress: SaveProgress = {},
): Promise<BackgroundSave | BackgroundSaveRefused> {
  try {
    await setBackgroundSnapshot(qmp, true);
  } catch (error) {
    if (error instanceof QmpError) return { refused: error.message };
    throw error;
  }
  try {
    await startMigration(qmp, file, progress.maxBytesPerSecond);
  } catch (error) {
    await backgroundSnapshotOff(qmp);
    if (error instanceof QmpError) return { refused: error.message };
    throw error;
  }
  // QEMU restarts the processors from its own thread once the memory is write-protected; a
  // failure before that (userfaultfd refused) leaves the machine paused and the migration failed.
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status } = await qmp.execute<{ status: string }>('query-status');
    if (status === 'running') break;
    const info = await qmp.execute<MigrationInfo>('query-migrate');
    if (info.status === 'failed' || info.status === 'cancelled') {
      await backgroundSnapshotOff(qmp);
      return { refused: `QEMU could not start it: ${info['error-desc'] ?? info.status}` };
    }
    if (Date.now() > deadline) {
      await qmp.execute('migrate_cancel').catch(() => undefined);
      await backgroundSnapshotOff(qmp);
      throw new Error(`QEMU did not start saving the state within ${timeoutMs} ms`);
    }
    await sleep(POLL_MS);
  }
  const written = (async () => {
    try {
      await migrationCompleted(qmp, progress.onProgress, timeoutMs);
    } finally {
      await backgroundSnapshotOff(qmp);
    }
    await makeDurable(file);
  })();
  return { written };
}
