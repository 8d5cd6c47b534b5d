// Checkpoints of a running real guest, timed: the pause of a Standard checkpoint (QMP's STOP to
// RESUME), how long until its memory file is whole, and the freeze window of a Production
// checkpoint (the guest agent's freeze to thaw).
import { stat } from 'node:fs/promises';
import type { QemuGuest } from '@hvm/engine';
import type { FileStore } from '@hvm/vhdx';
import { guestShell } from './guestShell.js';
import type { ProductionFreezeFigures, StandardPause, StandardPauseFigures } from './qemuTypes.js';
import { median, timed } from './util.js';

type Log = (message: string) => void;

/** The share of guest memory filled with random bytes before a Standard checkpoint. */
export const TOUCHED_SHARE = 0.6;

/**
 * Fills about `TOUCHED_SHARE` of the guest's memory with random bytes in a tmpfs: pages QEMU must
 * save whole (it saves a page of zeros as a mark only). Returns the MiB filled.
 */
async function fillMemory(guest: QemuGuest, memoryMiB: number): Promise<number> {
  const chunks = Math.floor((memoryMiB * TOUCHED_SHARE) / 4);
  await guestShell(
    guest.qemu,
    `set -e; mkdir -p /fill; mount -t tmpfs -o size=95% tmpfs /fill; dd if=/dev/urandom of=/fill/chunk bs=1M count=4 2>/dev/null; i=1; while [ $i -lt ${chunks} ]; do cat /fill/chunk >>/fill/data; i=$((i + 1)); done`,
  );
  return chunks * 4;
}

/** Standard checkpoints of the running `guest` of `memoryMiB`, its memory filled first. */
export async function measureStandard(
  guest: QemuGuest,
  store: FileStore,
  memoryMiB: number,
  runs: number,
  log: Log,
): Promise<StandardPause> {
  const touchedMiB = await fillMemory(guest, memoryMiB);
  const samples = {
    pauseMs: [] as number[],
    checkpointMs: [] as number[],
    memoryWrittenMs: [] as number[],
    savedStateBytes: [] as number[],
  };
  if (store.absolutePath === undefined)
    throw new Error('the guest’s store has no folder on this host');
  for (let run = 0; run < runs; run++) {
    const events: { event: string; at: number }[] = [];
    const stop = guest.qemu.qmp.onEvent((e) =>
      events.push({ event: e.event, at: performance.now() }),
    );
    const resumed = guest.qemu.qmp.waitForEvent('RESUME', 600_000);
    const savedState = `standard-${run}.vmrs`;
    try {
      const started = performance.now();
      const { ms, value } = await timed(() =>
        guest.checkpoint('Standard', `standard-${run}.avhdx`, savedState),
      );
      // The memory may still be written while the guest runs on: the file is whole once it is.
      await value.memoryWritten;
      samples.memoryWrittenMs.push(performance.now() - started);
      await resumed;
      const paused = events.find((e) => e.event === 'STOP');
      const resumedAt = events.find((e) => e.event === 'RESUME');
      if (paused === undefined || resumedAt === undefined)
        throw new Error('QEMU sent no STOP and RESUME events for the checkpoint');
      samples.pauseMs.push(resumedAt.at - paused.at);
      samples.checkpointMs.push(ms);
      samples.savedStateBytes.push((await stat(store.absolutePath(savedState))).size);
      await store.unlink(savedState);
    } finally {
      stop();
    }
  }
  log(
    `qemu: ${memoryMiB} MiB guest, Standard pause ${samples.pauseMs.map((v) => v.toFixed(0)).join(', ')} ms, memory written after ${samples.memoryWrittenMs.map((v) => v.toFixed(0)).join(', ')} ms`,
  );
  return {
    memoryMiB,
    touchedMiB,
    pauseMs: median(samples.pauseMs),
    checkpointMs: median(samples.checkpointMs),
    memoryWrittenMs: median(samples.memoryWrittenMs),
    savedStateBytes: median(samples.savedStateBytes),
    samples,
  };
}

/** The least-squares line of the pauses against guest memory, in ms per GiB. */
export function pausePerGiB(sizes: StandardPause[]): StandardPauseFigures {
  const points = sizes.map((s) => ({ x: s.memoryMiB / 1024, y: s.pauseMs }));
  const n = points.length;
  const mx = points.reduce((sum, p) => sum + p.x, 0) / n;
  const my = points.reduce((sum, p) => sum + p.y, 0) / n;
  const sxy = points.reduce((sum, p) => sum + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((sum, p) => sum + (p.x - mx) ** 2, 0);
  const slope = sxx === 0 ? NaN : sxy / sxx;
  return { sizes, msPerGiB: slope, interceptMs: my - slope * mx };
}

/**
 * Production checkpoints of the running guest. The guest agent's freeze and thaw are timed where
 * QemuGuest sends them: its agent client is wrapped so that each `guest-fsfreeze-*` command's
 * sending and answer are noted; nothing else about the checkpoint changes.
 */
export async function measureProduction(
  guest: QemuGuest,
  runs: number,
  log: Log,
): Promise<ProductionFreezeFigures> {
  const agent = guest.qemu.guestAgent;
  if (agent === undefined) throw new Error('the guest has no agent port');
  const noted: { command: string; sent: number; answered: number }[] = [];
  const execute = agent.execute.bind(agent);
  agent.execute = async <T>(
    command: string,
    args?: Record<string, unknown>,
    options?: { timeoutMs?: number },
  ): Promise<T> => {
    const sent = performance.now();
    const result = await execute<T>(command, args, options);
    if (command.startsWith('guest-fsfreeze-'))
      noted.push({ command, sent, answered: performance.now() });
    return result;
  };
  let pauses = 0;
  const stopListening = guest.qemu.qmp.onEvent((event) => {
    if (event.event === 'STOP') pauses += 1;
  });
  const samples = {
    freezeMs: [] as number[],
    frozenMs: [] as number[],
    checkpointMs: [] as number[],
  };
  try {
    for (let run = 0; run < runs; run++) {
      noted.length = 0;
      const { ms, value } = await timed(() =>
        guest.checkpoint('Production', `production-${run}.avhdx`, `production-${run}.vmrs`),
      );
      if (value.kind !== 'Production')
        throw new Error(`the checkpoint was ${value.kind}: ${value.fallbackReason ?? ''}`);
      const freeze = noted.find((n) => n.command === 'guest-fsfreeze-freeze');
      const thaw = noted.find((n) => n.command === 'guest-fsfreeze-thaw');
      if (freeze === undefined || thaw === undefined)
        throw new Error('the checkpoint sent no freeze and thaw to the guest agent');
      samples.freezeMs.push(freeze.answered - freeze.sent);
      samples.frozenMs.push(thaw.answered - freeze.answered);
      samples.checkpointMs.push(ms);
    }
  } finally {
    stopListening();
    agent.execute = execute;
  }
  log(`qemu: production frozen ${samples.frozenMs.map((v) => v.toFixed(0)).join(', ')} ms`);
  return {
    freezeMs: median(samples.freezeMs),
    frozenMs: median(samples.frozenMs),
    checkpointMs: median(samples.checkpointMs),
    pauses,
    samples,
  };
}
