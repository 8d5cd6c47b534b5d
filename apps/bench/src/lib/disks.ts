// Disk figures: checkpoint cost against disk size, merge against qemu-img commit and cp, and
// I/O through a two-deep chain against qemu-io on a base .vhdx.
import { join, relative } from 'node:path';
import * as vhdx from '@hvm/vhdx';
import { createHost, nodeFileStore, zeroTiming } from '@hvm/engine';
import type { FileStore } from '@hvm/engine';
import type {
  CheckpointFigures,
  IoFigure,
  IoFigures,
  IoKey,
  MergeFigures,
  MergeKind,
} from './types.js';
import { RawFile } from './rawPeer.js';
import { GIB, KIB, MIB, TIB, dropCaches, median, patternChunk, prng, run, timed } from './util.js';

async function writeRange(
  store: FileStore,
  path: string,
  bytes: number,
  chunk: Buffer,
): Promise<void> {
  const disk = await vhdx.openDisk(store, path, { writable: true });
  try {
    for (let offset = 0; offset < bytes; offset += chunk.length) {
      await disk.write(chunk.subarray(0, Math.min(chunk.length, bytes - offset)), offset);
    }
    await disk.flush();
  } finally {
    await disk.close();
  }
}

/** Checkpoint of an Off VM with a 1 TiB and a 1 GiB dynamic disk holding the same data. */
export async function checkpointVsDiskSize(
  dir: string,
  { runs, dataBytes }: { runs: number; dataBytes: number },
): Promise<CheckpointFigures> {
  const store = nodeFileStore(dir);
  const host = await createHost({ store, timing: zeroTiming, dataLocation: dir });
  const chunk = patternChunk();
  const times: CheckpointFigures['times'] = { small: [], big: [] };
  try {
    const small = await host.createVm({ name: 'small', diskSizeBytes: GIB, memoryStartupMB: 512 });
    const big = await host.createVm({ name: 'big', diskSizeBytes: TIB, memoryStartupMB: 512 });
    for (const vm of [small, big]) {
      const drive = vm.hardDrives[0];
      if (drive === undefined) throw new Error(`VM ${vm.name} has no hard drive`);
      // The host shows the disk by its full path; the store works relative to the data folder.
      await writeRange(store, relative(dir, drive.path), dataBytes, chunk);
    }
    // One untimed checkpoint of each first: the first one opens the files and warms the caches.
    for (const vm of [small, big]) await host.createCheckpoint(vm.id, { name: 'warm-up' });
    for (let i = 0; i < runs; i++) {
      for (const [key, vm] of [
        ['small', small],
        ['big', big],
      ] as const) {
        const { ms } = await timed(() => host.createCheckpoint(vm.id, { name: `run ${i}` }));
        times[key].push(ms);
      }
    }
  } finally {
    await host.close();
  }
  const small = median(times.small);
  const big = median(times.big);
  return { small, big, ratio: big / small, times };
}

/**
 * The merge the user waits for: `mergeDisk` until it reports done (the parent holds the child's
 * data durably, nothing refers to the child). The child's file is deleted after that, as the
 * engine does (`deleteMergedChild`): `deleteChild` times that on its own.
 */
function timedProductMerge(
  store: FileStore,
  child: string,
): { kind: MergeKind; go: () => Promise<unknown>; deleteChild: () => Promise<unknown> } {
  let progressEvents = 0;
  return {
    kind: 'product',
    go: async () => {
      await vhdx.mergeDisk(store, child, {
        children: [],
        deferChildDeletion: true,
        onProgress: () => (progressEvents += 1),
      });
      return progressEvents;
    },
    deleteChild: () => vhdx.deleteMergedChild(store, child),
  };
}

/** Merge of a child holding `bytes` of changed data, qemu-img commit of the same, cp of the same. */
export async function mergeVsPeers(
  dir: string,
  { runs, bytes, reflink }: { runs: number; bytes: number; reflink: boolean },
): Promise<MergeFigures> {
  const store = nodeFileStore(dir);
  const chunk = patternChunk();
  const out: MergeFigures['samples'] = {
    product: [],
    qemu: [],
    cp: [],
    cpReflink: [],
    kind: null,
  };
  const deletions: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Product: base.vhdx + child.avhdx with `bytes` written to the child.
    const base = `m${i}/base.vhdx`;
    const child = `m${i}/child.avhdx`;
    await vhdx.createDynamicDisk(store, base, { virtualSize: 2 * bytes });
    await vhdx.createDifferencingDisk(store, child, base);
    await writeRange(store, child, bytes, chunk);
    const merge = timedProductMerge(store, child);
    out.kind = merge.kind;
    // qemu-img commit of a qcow2 overlay holding the same amount of changed data.
    const qb = join(dir, `m${i}/base.qcow2`);
    const qo = join(dir, `m${i}/overlay.qcow2`);
    run('qemu-img', ['create', '-q', '-f', 'qcow2', qb, String(2 * bytes)]);
    run('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', qb, '-F', 'qcow2', qo]);
    run('qemu-io', ['-f', 'qcow2', '-c', `write -P 0x5a 0 ${bytes}`, qo]);
    // cp of a file of the same size (and fsync of the copy).
    const src = join(dir, `m${i}/data.raw`);
    const dst = join(dir, `m${i}/copy.raw`);
    run('dd', [`if=/dev/urandom`, `of=${src}`, 'bs=1M', `count=${bytes / MIB}`, 'status=none']);
    // Everything written first, then the three timed one after the other, each after the page
    // cache is dropped; the order turns from run to run, so that none always goes first.
    const steps: (() => Promise<void>)[] = [
      async () => {
        dropCaches();
        out.product.push((await timed(merge.go)).ms);
        // Right after, as the engine runs it: the cost moved out of the merge, not hidden.
        deletions.push((await timed(merge.deleteChild)).ms);
      },
      () => {
        dropCaches();
        out.qemu.push(run('qemu-img', ['commit', '-q', '-f', 'qcow2', qo]).ms);
        return Promise.resolve();
      },
      () => {
        dropCaches();
        out.cp.push(run('sh', ['-c', `cp '${src}' '${dst}' && sync '${dst}'`]).ms);
        return Promise.resolve();
      },
    ];
    for (let s = 0; s < steps.length; s++) await steps[(s + i) % steps.length]?.();
    if (reflink) {
      const dst2 = join(dir, `m${i}/clone.raw`);
      // From a cold page cache, as the merge and the other peers are timed.
      dropCaches();
      out.cpReflink.push(
        run('sh', ['-c', `cp --reflink=always '${src}' '${dst2}' && sync '${dst2}'`]).ms,
      );
    }
    run('rm', ['-rf', join(dir, `m${i}`)]);
  }
  const product = median(out.product);
  const qemu = median(out.qemu);
  const cp = median(out.cp);
  return {
    kind: out.kind,
    bytes,
    product,
    qemu,
    cp,
    cpReflink: reflink ? median(out.cpReflink) : null,
    vsQemu: product / qemu,
    ofCopyBandwidth: cp / product,
    vsCp: product / cp,
    pairedVsCp: median(out.product.map((p, i) => p / (out.cp[i] ?? NaN))),
    pairedVsQemu: median(out.product.map((p, i) => p / (out.qemu[i] ?? NaN))),
    childDeletion: median(deletions),
    samples: { ...out, childDeletion: deletions },
  };
}

/** Random reads alternate between the product and the raw file in slices of this many. */
const READ_SLICE = 500;

function offsets(count: number, span: number, size: number): number[] {
  const next = prng(12345);
  const slots = span / size;
  return Array.from({ length: count }, () => Math.floor(next() * slots) * size);
}

/**
 * Sequential 1 MiB and random 4 KiB I/O through base ← mid ← top, against the same requests to a
 * raw file in this process and qemu-io on a base .vhdx.
 */
export async function chainIo(
  dir: string,
  { runs, span, randomOps }: { runs: number; span: number; randomOps: number },
): Promise<IoFigures> {
  const store = nodeFileStore(dir);
  const chunk = patternChunk();
  const page = chunk.subarray(0, 4 * KIB);
  const randomAt = offsets(randomOps, span, 4 * KIB);
  const keys: IoKey[] = ['seqWrite', 'seqRead', 'randWrite', 'randRead'];
  const product: Record<IoKey, number[]> = {
    seqWrite: [],
    seqRead: [],
    randWrite: [],
    randRead: [],
  };
  const qemu: Record<IoKey, number[]> = { seqWrite: [], seqRead: [], randWrite: [], randRead: [] };
  const raw: Record<IoKey, number[]> = { seqWrite: [], seqRead: [], randWrite: [], randRead: [] };
  /** Random reads through `read` alone. */
  const readPromises: number[] = [];
  for (let i = 0; i < runs; i++) {
    // The product and the raw file take turns, pattern by pattern (random reads in slices), so
    // that both meet the same load on a shared machine; then qemu-io. Each run on new files.
    const base = `io${i}/base.vhdx`;
    await vhdx.createDynamicDisk(store, base, { virtualSize: span });
    await vhdx.createDifferencingDisk(store, `io${i}/mid.avhdx`, base);
    await vhdx.createDifferencingDisk(store, `io${i}/top.avhdx`, `io${i}/mid.avhdx`);
    const rawFile = new RawFile(join(dir, `io${i}/raw.img`), span, chunk);
    // Opened as a QEMU guest's NBD export opens its chain (`servedToGuest`): requests up to
    // 1 MiB are system calls made on the spot. Every other user of the store (merges, copies,
    // the web server's work) hands each request to the thread pool.
    const disk = await vhdx.openDisk(store, `io${i}/top.avhdx`, {
      writable: true,
      servedToGuest: true,
    });
    try {
      const readBuf = Buffer.alloc(MIB);
      const pageBuf = Buffer.alloc(4 * KIB);
      raw.seqWrite.push(rawFile.seqWrite());
      product.seqWrite.push(
        (
          await timed(async () => {
            for (let o = 0; o < span; o += MIB) await disk.write(chunk, o);
            await disk.flush();
          })
        ).ms,
      );
      product.seqRead.push(
        (
          await timed(async () => {
            for (let o = 0; o < span; o += MIB) await disk.read(readBuf, o);
          })
        ).ms,
      );
      raw.seqRead.push(rawFile.seqRead());
      raw.randWrite.push(rawFile.randWrite(randomAt));
      product.randWrite.push(
        (
          await timed(async () => {
            for (const o of randomAt) await disk.write(page, o);
            await disk.flush();
          })
        ).ms,
      );
      // The chain answers each read on the spot (`readNow`) where it knows the block's place from
      // cached metadata, else through `read`, as a request loop would; `read` alone (a promise
      // each) is timed too, in the same slices.
      let productReads = 0;
      let asyncReads = 0;
      let rawReads = 0;
      for (let s = 0; s < randomAt.length; s += READ_SLICE) {
        const slice = randomAt.slice(s, s + READ_SLICE);
        productReads += (
          await timed(async () => {
            for (const o of slice) if (!disk.readNow(pageBuf, o)) await disk.read(pageBuf, o);
          })
        ).ms;
        rawReads += rawFile.randRead(slice);
        asyncReads += (
          await timed(async () => {
            for (const o of slice) await disk.read(pageBuf, o);
          })
        ).ms;
      }
      product.randRead.push(productReads);
      raw.randRead.push(rawReads);
      readPromises.push(asyncReads);
    } finally {
      await disk.close();
      rawFile.close();
    }

    const qfile = join(dir, `io${i}/qemu.vhdx`);
    run('qemu-img', ['create', '-q', '-f', 'vhdx', qfile, String(span)]);
    const io = (cmds: string[]): number =>
      run('qemu-io', ['-t', 'writeback', '-f', 'vhdx', ...cmds.flatMap((c) => ['-c', c]), qfile])
        .ms;
    const seq = (op: string): string[] =>
      Array.from({ length: span / MIB }, (_, n) => `${op} ${n * MIB} ${MIB}`);
    qemu.seqWrite.push(io([...seq('write -q -P 0x5a'), 'flush']));
    qemu.seqRead.push(io(seq('read -q')));
    qemu.randWrite.push(io([...randomAt.map((o) => `write -q -P 0x33 ${o} 4096`), 'flush']));
    qemu.randRead.push(io(randomAt.map((o) => `read -q ${o} 4096`)));
    run('rm', ['-rf', join(dir, `io${i}`)]);
  }
  const bytesOf: Record<IoKey, number> = {
    seqWrite: span,
    seqRead: span,
    randWrite: randomOps * 4096,
    randRead: randomOps * 4096,
  };
  return Object.fromEntries(
    keys.map((k): [IoKey, IoFigure] => {
      const p = median(product[k]);
      const q = median(qemu[k]);
      const r = median(raw[k]);
      return [
        k,
        {
          bytes: bytesOf[k],
          productMs: p,
          qemuMs: q,
          productMiBs: bytesOf[k] / MIB / (p / 1000),
          qemuMiBs: bytesOf[k] / MIB / (q / 1000),
          ratio: q / p,
          rawMs: r,
          rawMiBs: bytesOf[k] / MIB / (r / 1000),
          vsRaw: r / p,
          ...(k === 'randRead' ? { promiseMs: median(readPromises) } : {}),
          samples: { product: product[k], qemu: qemu[k], raw: raw[k] },
        },
      ];
    }),
  ) as IoFigures;
}
