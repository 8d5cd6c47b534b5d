/**
 * Kill trials of the NBD export a QEMU guest writes through: a driver process serves the VM's
 * `.avhdx` over NBD (as the host does), a client writes 64 KiB slots with FUA or with a FLUSH
 * after them, and the driver is killed (SIGKILL) at a random moment. After each kill the chain is
 * reopened (the VHDX log replayed) and every slot is checked 4 KiB sector by sector: what NBD
 * acknowledged as durable (a FUA write, or a write before an acknowledged FLUSH) is there, and a
 * sector the client could not know about holds one of the values it may hold, never another.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random, caseSeed } from '@hvm/stress-support';
import { nodeFileStore } from '@hvm/engine';
import { vhdxDiskLibrary } from '@hvm/engine/testing';
import { Command, CommandFlag, Option, connectRaw, goData } from '@hvm/nbd/testing';
import type { NbdServeJob } from './nbdServeDriver.js';

const here = dirname(fileURLToPath(import.meta.url));
const KiB = 1024;
export const SLOT_BYTES = 64 * KiB;
const SECTOR_BYTES = 4 * KiB;
export const SLOTS = 256;
/** The base disk's first bytes (the slots below BASE_FILLED_BYTES) hold this byte. */
export const BASE_FILL = 0x5a;
export const BASE_FILLED_BYTES = 4 * 1024 * KiB;

export interface NbdKillOptions {
  folder: string;
  seed: number;
  trials: number;
  log?: (line: string) => void;
}

export interface NbdKillReport {
  trials: number;
  writesAcknowledged: number;
  flushesAcknowledged: number;
  problems: string[];
}

/** A slot's content: every 16 bytes name the trial, the write and the slot. */
function slotContent(trial: number, write: number, slot: number): Buffer {
  const data = Buffer.alloc(SLOT_BYTES);
  for (let at = 0; at < SLOT_BYTES; at += 16) {
    data.writeUInt32LE(trial, at);
    data.writeUInt32LE(write, at + 4);
    data.writeUInt32LE(slot, at + 8);
    data.writeUInt32LE(0x4e424421, at + 12);
  }
  return data;
}

function driverCommand(): string[] {
  if (import.meta.url.endsWith('.ts')) return ['--import', 'tsx', join(here, 'nbdServeDriver.ts')];
  return [join(here, 'nbdServeDriver.js')];
}

function startDriver(job: NbdServeJob): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...driverCommand(), JSON.stringify(job)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('READY')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`the NBD driver ended (${code}): ${stderr}`)));
  });
}

/**
 * What each slot may hold: `candidates[slot]` lists the contents it may show, oldest first; the
 * first is durable (acknowledged by FUA or a FLUSH), the rest were written after it.
 */
type SlotCandidates = Buffer[][];

export async function runNbdKillTrials(options: NbdKillOptions): Promise<NbdKillReport> {
  const { folder } = options;
  const store = nodeFileStore(folder);
  const disks = vhdxDiskLibrary;
  await disks.createDynamicDisk(store, 'base.vhdx', 64 * 1024 * KiB);
  await disks.writeDisk(store, 'base.vhdx', 0, new Uint8Array(BASE_FILLED_BYTES).fill(BASE_FILL));
  await disks.createDifferencingDisk(store, 'child.avhdx', 'base.vhdx');
  await disks.forget?.(store);
  const candidates: SlotCandidates = Array.from({ length: SLOTS }, (_, slot) => [
    Buffer.alloc(SLOT_BYTES, slot * SLOT_BYTES < BASE_FILLED_BYTES ? BASE_FILL : 0),
  ]);
  const report: NbdKillReport = {
    trials: 0,
    writesAcknowledged: 0,
    flushesAcknowledged: 0,
    problems: [],
  };

  for (let trial = 1; trial <= options.trials; trial += 1) {
    const random = new Random(caseSeed(options.seed, trial));
    const socketPath = join(folder, `nbd-${trial}.sock`);
    const driver = await startDriver({ folder, disk: 'child.avhdx', socketPath });
    const exited = new Promise<void>((resolve) => driver.once('exit', () => resolve()));
    const killAfterMs = 150 + random.int(900);
    const killer = setTimeout(() => driver.kill('SIGKILL'), killAfterMs);
    const unflushed = new Set<number>();
    try {
      const client = await connectRaw(socketPath);
      await client.option(Option.GO, goData('disk0'));
      for (let write = 1; ; write += 1) {
        if (random.chance(0.15)) {
          const { error } = await client.request(Command.FLUSH, 0, 0);
          if (error !== 0) throw new Error(`FLUSH failed with ${error}`);
          report.flushesAcknowledged += 1;
          for (const slot of unflushed) {
            const list = candidates[slot] ?? [];
            candidates[slot] = list.slice(-1);
          }
          unflushed.clear();
          continue;
        }
        const slot = random.int(SLOTS);
        const fua = random.chance(0.3);
        const data = slotContent(trial, write, slot);
        candidates[slot]?.push(data);
        const { error } = await client.request(
          Command.WRITE,
          slot * SLOT_BYTES,
          SLOT_BYTES,
          fua ? CommandFlag.FUA : 0,
          data,
        );
        if (error !== 0) throw new Error(`WRITE failed with ${error}`);
        report.writesAcknowledged += 1;
        if (fua) {
          candidates[slot] = [data];
          unflushed.delete(slot);
        } else unflushed.add(slot);
      }
    } catch {
      // The kill ended the connection: the request in flight stays among the candidates.
    } finally {
      clearTimeout(killer);
      driver.kill('SIGKILL');
      await exited;
    }

    const problems = await checkSlots(folder, candidates, trial);
    report.problems.push(...problems);
    report.trials = trial;
    options.log?.(
      `NBD kill trial ${trial}: killed after ${killAfterMs} ms, ${problems.length} problems`,
    );
    if (problems.length > 0) break;
  }
  return report;
}

/** Reopens the chain after the kill and narrows each slot's candidates to what it holds. */
async function checkSlots(
  folder: string,
  candidates: SlotCandidates,
  trial: number,
): Promise<string[]> {
  const store = nodeFileStore(folder);
  const session = await vhdxDiskLibrary.openReaderWriter?.(store, 'child.avhdx');
  if (session === undefined) throw new Error('the disk library cannot open a chain for writing');
  const problems: string[] = [];
  try {
    for (let slot = 0; slot < SLOTS; slot += 1) {
      const held = Buffer.from(await session.read(slot * SLOT_BYTES, SLOT_BYTES));
      const possible = candidates[slot] ?? [];
      for (let at = 0; at < SLOT_BYTES; at += SECTOR_BYTES) {
        const sector = held.subarray(at, at + SECTOR_BYTES);
        if (!possible.some((value) => value.subarray(at, at + SECTOR_BYTES).equals(sector)))
          problems.push(
            `trial ${trial}: slot ${slot} sector ${at / SECTOR_BYTES} holds none of the ${possible.length} values it may hold (first bytes ${sector.subarray(0, 16).toString('hex')})`,
          );
      }
      // From now on the slot holds what it holds (a torn unacknowledged write stays as read).
      candidates[slot] = [held];
    }
  } finally {
    await session.close();
    // The parents kept open for this store are closed too: the driver opens them next.
    await vhdxDiskLibrary.forget?.(store);
  }
  return problems;
}
