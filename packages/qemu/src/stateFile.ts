/**
 * Saving a machine's device and memory state into a file with QMP `migrate` (QEMU's
 * `docs/devel/migration.rst`; QMP reference: `migrate`, `query-migrate`, `migrate-set-capabilities`).
 *
 * - In the foreground: the machine is paused and stays paused while its whole memory is written.
 * - While it runs (pre-copy, `saveStateWhileRunning`): QEMU sends the memory while the guest runs
 *   and stops it once the rest fits in a short downtime (`postmigrate`), so the state saved is the
 *   state at that stop. QEMU's `background-snapshot` capability (userfaultfd write-protection) was
 *   measured as the other way: with QEMU 7.2 on the development host its set-up ran with the guest
 *   stopped and grew with the memory (2 s for 256 MiB to 20 s for 2 GiB under load), so it is not
 *   used.
 *
 * QEMU 7.2 has no `file:` migration URI (8.2 added it). `exec:cat > file` is not safe either: when
 * the migration ends QEMU closes the pipe and, unless `cat` has already exited, sends it SIGTERM then
 * SIGKILL 10 ms later (io/channel-command.c, `qio_channel_command_abort`), which can cut off the end
 * of the stream, the device state. So QEMU sends the stream to a private Unix socket (`unix:`) and
 * the host writes it into the file: it knows when the last byte is there, then makes the file
 * durable (fsync) before the save counts as done.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DurableFileWriter } from './durableFileWriter.js';
import { QmpError, type QmpClient } from './qmp.js';

/** How often the state of a migration is asked for, unless QEMU says first that it changed. */
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

/** Why QEMU would not save the running machine here (QEMU's own words). */
export interface BackgroundSaveRefused {
  readonly refused: string;
}

/**
 * Waits until the migration's status may have changed: QEMU's `MIGRATION` event (sent with the
 * `events` capability, QMP reference) or `POLL_MS`, whichever comes first. The end of a pre-copy
 * (`completed`) is then seen as QEMU says it, not up to a poll later, while the guest waits.
 */
interface StatusWatch {
  next(): Promise<void>;
  /** Whether QEMU said the migration completed: nothing is left to ask it then. */
  readonly completed: boolean;
  stop(): void;
}

function watchMigrationStatus(qmp: QmpClient): StatusWatch {
  let changed = false;
  let completed = false;
  let wake: (() => void) | null = null;
  const stop = qmp.onEvent((event) => {
    if (event.event !== 'MIGRATION') return;
    if (event.data.status === 'completed') completed = true;
    changed = true;
    wake?.();
  });
  const next = (): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        wake = null;
        changed = false;
        resolve();
      };
      const timer = setTimeout(done, POLL_MS);
      if (changed) done();
      else wake = done;
    });
  return {
    next,
    get completed() {
      return completed;
    },
    stop,
  };
}

/**
 * A private Unix socket (in a folder only this user can open) that takes one connection, QEMU's
 * migration stream, and writes it into `file`; `received` resolves once the stream has ended and
 * the file is durable. `close` ends it whatever happened (a connection not yet made fails it).
 */
interface StateReceiver {
  uri: string;
  received: Promise<void>;
  close(): Promise<void>;
}

async function receiveStateInto(file: string): Promise<StateReceiver> {
  const folder = await mkdtemp(join(tmpdir(), 'hvm-state-'));
  const socketPath = join(folder, 'state.sock');
  const server: Server = createServer();
  let giveUp = (): void => undefined;
  const received = new Promise<void>((resolve, reject) => {
    giveUp = () => reject(new Error('QEMU did not send the state'));
    server.once('connection', (socket) => {
      server.close();
      giveUp = () => socket.destroy(new Error('the state was not received whole'));
      // Durable as it comes, and whole at its end (`DurableFileWriter`).
      pipeline(socket, new DurableFileWriter(file)).then(resolve, reject);
    });
  });
  received.catch(() => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= (async () => {
      server.close();
      giveUp();
      await received.catch(() => undefined);
      await rm(folder, { recursive: true, force: true });
    })());
  void received.then(close, close);
  return { uri: `unix:${socketPath}`, received, close };
}

/** Starts QEMU's migration into `file`; on a refusal nothing is left listening. */
async function startMigration(
  qmp: QmpClient,
  file: string,
  maxBytesPerSecond: number | undefined,
): Promise<StateReceiver> {
  const limit =
    maxBytesPerSecond !== undefined && maxBytesPerSecond > 0
      ? Math.ceil(maxBytesPerSecond)
      : Number.MAX_SAFE_INTEGER;
  await qmp.execute('migrate-set-parameters', { 'max-bandwidth': limit });
  await qmp.execute('migrate-set-capabilities', {
    capabilities: [{ capability: 'events', state: true }],
  });
  const receiver = await receiveStateInto(file);
  try {
    await qmp.execute('migrate', { uri: receiver.uri });
  } catch (error) {
    await receiver.close();
    throw error;
  }
  return receiver;
}

/** The migration completed and the whole stream is in the durable file; else it is given up. */
async function savedWhole(
  qmp: QmpClient,
  receiver: StateReceiver,
  onProgress: ((share: number) => void) | undefined,
  timeoutMs: number,
): Promise<void> {
  try {
    await migrationCompleted(qmp, onProgress, timeoutMs);
    await receiver.received;
  } finally {
    await receiver.close();
  }
}

/** Waits for the migration to complete, reporting the share of memory written. */
async function migrationCompleted(
  qmp: QmpClient,
  onProgress: ((share: number) => void) | undefined,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const watch = watchMigrationStatus(qmp);
  try {
    for (;;) {
      const info: MigrationInfo = watch.completed
        ? { status: 'completed' }
        : await qmp.execute<MigrationInfo>('query-migrate');
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
      await watch.next();
    }
  } finally {
    watch.stop();
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
  const receiver = await startMigration(qmp, file, progress.maxBytesPerSecond);
  await savedWhole(qmp, receiver, progress.onProgress, timeoutMs);
}

/**
 * Waits until QEMU's run state is no longer `state`. QEMU says a migration completed before it
 * moves the stopped machine from `finish-migrate` to `postmigrate` (`migration_iteration_finish`,
 * QEMU's migration/migration.c, once the migration thread gets the main lock), and refuses `cont`
 * until then ("Migration is not finalized yet", `qmp_cont`).
 */
async function untilRunStateLeaves(
  qmp: QmpClient,
  state: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await qmp.execute<{ status: string }>('query-status')).status === state) {
    if (Date.now() > deadline) throw new Error(`QEMU stayed in ${state} for ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/**
 * The downtime QEMU aims for when it stops a running machine at the end of a pre-copy (QMP
 * `downtime-limit`), as the pre-copy goes on: QEMU stops the machine once what is left to send
 * fits in it at the rate it measured (`migration_iteration_run`, QEMU's migration/migration.c), and
 * the guest stays stopped while that is sent. 300 ms let QEMU stop it with up to 300 ms of memory
 * still to send: measured on the development host (TCG, QEMU 7.2), the last pass then took 9 to
 * 614 ms; with 50 ms, 5 to 123 ms, the pre-copy a pass or two longer. A guest that writes its
 * memory faster than it is sent does not get there: the limit grows after 10 s, and after 30 s
 * QEMU may stop it for as long as the rest takes.
 */
const PRECOPY_DOWNTIMES: readonly { afterMs: number; downtimeMs: number }[] = [
  { afterMs: 0, downtimeMs: 50 },
  { afterMs: 10_000, downtimeMs: 300 },
  { afterMs: 30_000, downtimeMs: 2_000_000 },
];
const FIRST_PRECOPY_DOWNTIME_MS = PRECOPY_DOWNTIMES[0]?.downtimeMs ?? 50;

/**
 * Saves the state of a running machine into `file` by pre-copy: QEMU sends the memory while the
 * machine runs, sends again what the guest wrote meanwhile, and once the rest fits in a short
 * downtime it stops the machine (a `STOP`) and sends the rest and the device state. Resolves then:
 * the machine is stopped (`postmigrate`) at the moment the file describes, until `resume`; the
 * file is whole and durable once `written` resolves. A guest that writes memory faster than it is
 * sent never gets there: the downtime aimed for grows (`PRECOPY_DOWNTIMES`). When QEMU
 * refuses or fails before it stops the machine, it still runs and the answer says why.
 */
export async function saveStateWhileRunning(
  qmp: QmpClient,
  file: string,
  timeoutMs: number,
  progress: SaveProgress = {},
): Promise<BackgroundSave | BackgroundSaveRefused> {
  let receiver: StateReceiver;
  // Listening before `migrate`: QEMU's events from its start on are seen.
  const watch = watchMigrationStatus(qmp);
  try {
    await qmp.execute('migrate-set-parameters', { 'downtime-limit': FIRST_PRECOPY_DOWNTIME_MS });
    receiver = await startMigration(qmp, file, progress.maxBytesPerSecond);
  } catch (error) {
    watch.stop();
    if (error instanceof QmpError) return { refused: error.message };
    throw error;
  }
  const started = Date.now();
  let downtimeStep = 0;
  try {
    for (;;) {
      // Once QEMU says it completed, the guest waits for this: QEMU is not asked again, as its
      // monitor may still be busy ending the migration.
      if (watch.completed) break;
      const info = await qmp.execute<MigrationInfo>('query-migrate');
      if (info.status === 'completed') break;
      if (info.status === 'failed' || info.status === 'cancelled') {
        await receiver.close();
        return { refused: `QEMU could not save it: ${info['error-desc'] ?? info.status}` };
      }
      const total = info.ram?.total ?? 0;
      const remaining = info.ram?.remaining ?? total;
      if (total > 0) progress.onProgress?.(Math.min(1, Math.max(0, 1 - remaining / total)));
      const step = PRECOPY_DOWNTIMES[downtimeStep + 1];
      if (step !== undefined && Date.now() - started > step.afterMs) {
        downtimeStep += 1;
        await qmp.execute('migrate-set-parameters', { 'downtime-limit': step.downtimeMs });
      }
      if (Date.now() - started > timeoutMs) {
        await qmp.execute('migrate_cancel').catch(() => undefined);
        throw new Error(`saving the state took more than ${timeoutMs} ms`);
      }
      await watch.next();
    }
  } catch (error) {
    await receiver.close();
    throw error;
  } finally {
    watch.stop();
    if (downtimeStep > 0)
      await qmp
        .execute('migrate-set-parameters', { 'downtime-limit': FIRST_PRECOPY_DOWNTIME_MS })
        .catch(() => undefined);
  }
  await untilRunStateLeaves(qmp, 'finish-migrate', timeoutMs);
  progress.onProgress?.(1);
  const written = (async () => {
    try {
      await receiver.received;
    } finally {
      await receiver.close();
    }
  })();
  return { written };
}
