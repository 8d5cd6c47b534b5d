/**
 * Kill trials of the NBD export a QEMU guest writes through: a driver process serves the VM's
 * `.avhdx` over NBD (as the host does), a client writes 64 KiB slots with FUA or with a FLUSH
 * after them, several requests in flight at once as QEMU sends them, and the driver is killed (SIGKILL) at a random moment. After each kill the chain is
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
import { Command, CommandFlag, Option, connectRaw, goData, type RawClient } from '@hvm/nbd/testing';
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
    try {
      const client = await connectRaw(socketPath);
      await client.option(Option.GO, goData('disk0'));
      await writeUntilKilled(client, trial, random, candidates, report);
    } catch {
      // The kill ended the connection: the requests in flight stay among the candidates.
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

/** Requests the client keeps in flight, as QEMU's NBD client does (up to 16). */
const IN_FLIGHT = 8;

type UnderWay =
  | { kind: 'write'; slot: number; data: Buffer; fua: boolean }
  | { kind: 'flush'; covers: Map<number, Buffer> };

/**
 * Writes slots, with FUA or followed by a FLUSH, keeping IN_FLIGHT requests under way (never two
 * on one slot, so a slot's candidates stay in the order they land), until the kill ends the
 * connection. A FUA write's reply makes it durable; a FLUSH's reply makes durable every write
 * whose reply came before the FLUSH was sent (proto.md, "Ordering of messages and writes").
 */
async function writeUntilKilled(
  client: RawClient,
  trial: number,
  random: Random,
  candidates: SlotCandidates,
  report: NbdKillReport,
): Promise<never> {
  const underWay = new Map<bigint, UnderWay>();
  const busySlots = new Set<number>();
  /** Per slot, its last write replied to and not yet known durable. */
  const replied = new Map<number, Buffer>();
  const durable = (slot: number, data: Buffer): void => {
    const list = candidates[slot] ?? [];
    const at = list.indexOf(data);
    if (at >= 0) candidates[slot] = list.slice(at);
    if (replied.get(slot) === data) replied.delete(slot);
  };
  const settleOne = async (): Promise<void> => {
    const { cookie, error } = await client.readReply();
    const request = underWay.get(cookie);
    underWay.delete(cookie);
    if (request === undefined) throw new Error(`a reply for cookie ${cookie}, never sent`);
    if (error !== 0) throw new Error(`${request.kind} failed with ${error}`);
    if (request.kind === 'flush') {
      report.flushesAcknowledged += 1;
      for (const [slot, data] of request.covers) durable(slot, data);
      return;
    }
    report.writesAcknowledged += 1;
    busySlots.delete(request.slot);
    if (request.fua) durable(request.slot, request.data);
    else replied.set(request.slot, request.data);
  };
  for (let write = 1; ; write += 1) {
    while (underWay.size >= IN_FLIGHT) await settleOne();
    if (random.chance(0.15)) {
      underWay.set(client.send(Command.FLUSH, 0, 0), { kind: 'flush', covers: new Map(replied) });
      continue;
    }
    let slot = random.int(SLOTS);
    while (busySlots.has(slot)) slot = (slot + 1) % SLOTS;
    const fua = random.chance(0.3);
    const data = slotContent(trial, write, slot);
    candidates[slot]?.push(data);
    busySlots.add(slot);
    const cookie = client.send(
      Command.WRITE,
      slot * SLOT_BYTES,
      SLOT_BYTES,
      fua ? CommandFlag.FUA : 0,
      data,
    );
    underWay.set(cookie, { kind: 'write', slot, data, fua });
  }
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
