// The shape of a run's results: what latest.json holds and the markdown report is rendered from.
import type { QemuConfig, QemuFigures } from './qemuTypes.js';
import type { ConsoleFigures, HostsFigures, PowerShellFigures } from './scaleTypes.js';

export interface Config {
  checkpointRuns: number;
  checkpointData: number;
  mergeBytes: number;
  mergeRuns: number;
  ioSpan: number;
  ioRandom: number;
  ioRuns: number;
  memoryMB: number;
  memoryRuns: number;
  vms: number;
  checkpoints: number;
  loadMs: number;
  loadRuns: number;
  sseRounds: number;
  uiRuns: number;
  xfsBytes: number;
  /** The real guests of the `qemu` section (absent in reports written before it existed). */
  qemu?: QemuConfig;
}

export interface Machine {
  cpu: string;
  memoryGiB: number;
  kernel: string;
  os: string;
  node: string;
  tmpdir: string;
  root: boolean;
  /** Absent in reports written before they were recorded. */
  host?: string;
  disk?: string;
}

/** A section that threw: its message instead of its figures. */
export interface Failed {
  error: string;
}

export interface CheckpointFigures {
  small: number;
  big: number;
  ratio: number;
  times: { small: number[]; big: number[] };
}

export type MergeKind = 'product' | 'copying';

export interface MergeFigures {
  kind: MergeKind | null;
  bytes: number;
  product: number;
  qemu: number;
  cp: number;
  cpReflink: number | null;
  vsQemu: number;
  ofCopyBandwidth: number;
  /** Median merge time over median cp + sync time (absent in reports written before). */
  vsCp?: number;
  /** Medians of the runs' own ratios: each run's three were timed back to back. */
  pairedVsCp?: number;
  pairedVsQemu?: number;
  /**
   * Median time of the merged child's deletion (`deleteMergedChild`), which runs after the merge
   * reports done and is not in `product` (absent in reports written before it moved there).
   */
  childDeletion?: number;
  /** One 4 KiB write + `fdatasync` on the same file system (median), measured beside the XFS merge. */
  flushMs?: number;
  samples: {
    product: number[];
    /** Each run's deletion of the merged child, timed on its own right after the merge. */
    childDeletion?: number[];
    qemu: number[];
    cp: number[];
    cpReflink: number[];
    kind: MergeKind | null;
  };
}

export type XfsOutcome<T> = { skipped: string } | { result: T };

export type IoKey = 'seqWrite' | 'seqRead' | 'randWrite' | 'randRead';

export interface IoFigure {
  bytes: number;
  productMs: number;
  qemuMs: number;
  productMiBs: number;
  qemuMiBs: number;
  /** Product speed over qemu-io's. */
  ratio: number;
  /** The same requests to a raw file in this process (absent in reports written before). */
  rawMs?: number;
  rawMiBs?: number;
  /** Product speed over the raw file's. */
  vsRaw?: number;
  /** Random reads: the same reads through the asynchronous `read` alone, one promise each. */
  promiseMs?: number;
  samples?: { product: number[]; qemu: number[]; raw: number[] };
}

export type IoFigures = Record<IoKey, IoFigure>;

export interface MemoryFigures {
  workingSetMB: number;
  pauseMs: number;
  checkpointMs: number;
  productMiBs: number;
  ddMiBs: number;
  ofDd: number;
  samples: { pauses: number[]; totals: number[]; dd: number[] };
}

export interface BuildFigures {
  perVmMs: number;
  checkpoints: number;
  extrapolatedMs: number;
  /** Absent in reports written before they were measured. */
  firstMs?: number;
  lastMs?: number;
  tenth?: number;
}

export interface BigHost {
  vms: number;
  checkpoints: number;
  buildMs: number;
  folder?: string;
  parallel?: number;
  /** Built from a folder kept from an earlier build (`--host-dir`): buildMs is the completion only. */
  keptFolder?: boolean;
}

export interface RssFigures {
  rss: number;
  heapUsed: number;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  errors: number;
}

export interface ApiFigures {
  bytes: number;
  vms: number;
  rps: number;
  bareRps: number;
  ratio: number;
  p99: number;
  bareP99: number;
  connections: number;
  runs: { product: LoadResult[]; bare: LoadResult[] };
}

export interface BundleSizes {
  initialFiles: string[];
  initialGzip: number;
  allJsGzip: number;
}

/** What the page measured of one selection (ui.ts, selectionFigures). */
export interface SelectionFigures {
  pointerToPaint: number;
  pointerToDom: number;
  request: {
    startAfterPointer: number;
    duration: number;
    waiting: number;
    domAfterResponse: number;
  } | null;
}

export interface UiTimes {
  openMs: number;
  selectMs: number;
  selectWallMs: number;
  /** Absent in reports written before it was measured. */
  selectBreakdown?: {
    pointerToDom: number;
    requestStartAfterPointer: number;
    requestMs: number;
    serverWaitMs: number;
    domAfterResponse: number;
  };
  samples: { open: number[]; select: number[]; inPage: SelectionFigures[] };
}

export type UiFigures = BundleSizes & UiTimes;

export interface EventFigures {
  p50: number;
  p99: number;
  max: number;
  samples: number;
}

/** Each measured section's figures, or its failure; `bigHost` describes the host they ran on. */
export interface Figures {
  checkpoint?: CheckpointFigures | Failed;
  merge?: MergeFigures | Failed;
  xfs?: XfsOutcome<MergeFigures> | Failed;
  io?: IoFigures | Failed;
  memory?: MemoryFigures | Failed;
  build?: BuildFigures | Failed;
  bigHost?: BigHost;
  rss?: RssFigures | Failed;
  api?: ApiFigures | Failed;
  ui?: UiFigures | Failed;
  events?: EventFigures | Failed;
  powershell?: PowerShellFigures | Failed;
  hosts?: HostsFigures | Failed;
  qemu?: QemuFigures | Failed;
  console?: ConsoleFigures | Failed;
}

export type SectionName = Exclude<keyof Figures, 'bigHost'>;

/** A run of sections re-measured with `--only` into an earlier report. */
export interface Update {
  sections: string[];
  startedAt: string;
  finishedAt: string;
}

export interface Results {
  quick: boolean;
  config: Config;
  startedAt: string;
  machine: Machine;
  tools: Record<string, string>;
  figures: Figures;
  finishedAt: string;
  updates?: Update[];
  /** `--note=TEXT`: said under the title (for example, that the machine was loaded). */
  note?: string;
}

/** Adds one row to the report's results table (`ok` null: no goal to judge). */
export type AddRow = (
  what: string,
  against: string,
  measured: string,
  goal: string,
  ok: boolean | null,
) => void;
