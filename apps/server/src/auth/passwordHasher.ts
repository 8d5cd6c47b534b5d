/**
 * Password hashing on its own worker thread, with a bounded queue.
 *
 * `crypto.scrypt` runs on libuv's thread pool, the same four threads that every file read, write
 * and fsync of the host uses: a few hundred sign-in attempts at once used to fill that pool, and a
 * checkpoint waited behind them. Here `scryptSync` runs inside one worker thread, one hash at a
 * time, so that hashing takes one core at most and never a thread that disk work needs. At most
 * `maxQueued` hashes wait behind the running one; beyond that `derive` refuses at once
 * (`HashingQueueFull`), and sign-in answers 429 with Retry-After instead of queueing without end.
 *
 * Node's `worker_threads` directly, not a pool library such as piscina: a pool loads its task
 * from a file on disk, which the TypeScript build emits only for the built server (the tests and
 * `npm run dev` run the sources); this worker is a dozen lines of JavaScript run from a string,
 * and one thread with a counted queue is all we need.
 */
import { Worker } from 'node:worker_threads';

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

export interface HashingStats {
  /** Hashes being computed now (0 or 1). */
  running: number;
  /** Hashes waiting behind it. */
  queued: number;
  /** Hashes started since the hasher was made. */
  started: number;
  /** Hashes finished (or failed) since the hasher was made. */
  completed: number;
}

/** What sign-in needs of a hasher (tests give one whose hashes finish when they say). */
export interface PasswordHashing {
  /** The scrypt key of `password`; rejects with `HashingQueueFull` at once when the queue is full. */
  derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer>;
  /** Whether `derive` would accept one more hash now. */
  hasRoom(): boolean;
  /** Seconds until the hashes waiting now are likely done (at least 1). */
  retryAfterSeconds(): number;
  stats(): HashingStats;
}

export class HashingQueueFull extends Error {
  override readonly name = 'HashingQueueFull';
  constructor(readonly retryAfterSeconds: number) {
    super('Too many passwords are waiting to be checked.');
  }
}

export const KEY_LENGTH = 64;
/** scrypt needs 128·N·r bytes; 64 MiB leaves room for raised costs (N = 65536 at r = 8). */
const MAX_MEMORY = 64 * 1024 * 1024;
export const DEFAULT_MAX_QUEUED_HASHES = 16;

/** The worker: derives one key per message and answers with it or with the error's message. */
const workerSource = `
const { parentPort } = require('node:worker_threads');
const { scryptSync } = require('node:crypto');
parentPort.on('message', (job) => {
  try {
    const key = scryptSync(job.password, Buffer.from(job.salt), job.keyLength, job.options);
    parentPort.postMessage({ key: new Uint8Array(key) });
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
});
`;

interface Job {
  password: string;
  salt: Buffer;
  cost: ScryptCost;
  resolve: (key: Buffer) => void;
  reject: (error: Error) => void;
}

type WorkerAnswer = { key: Uint8Array } | { error: string };

export class PasswordHasher implements PasswordHashing {
  private readonly maxQueued: number;
  private readonly queue: Job[] = [];
  private running: Job | null = null;
  private worker: Worker | null = null;
  private started = 0;
  private completed = 0;
  /** A running average of how long one hash takes, for Retry-After. */
  private averageMs = 100;
  private runningSince = 0;

  constructor(options: { maxQueued?: number } = {}) {
    this.maxQueued = options.maxQueued ?? DEFAULT_MAX_QUEUED_HASHES;
  }

  derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
    if (!this.hasRoom()) return Promise.reject(new HashingQueueFull(this.retryAfterSeconds()));
    return new Promise((resolve, reject) => {
      this.queue.push({ password, salt, cost, resolve, reject });
      this.next();
    });
  }

  hasRoom(): boolean {
    return this.running === null || this.queue.length < this.maxQueued;
  }

  retryAfterSeconds(): number {
    const waiting = this.queue.length + (this.running === null ? 0 : 1);
    return Math.max(1, Math.ceil((waiting * this.averageMs) / 1000));
  }

  stats(): HashingStats {
    return {
      running: this.running === null ? 0 : 1,
      queued: this.queue.length,
      started: this.started,
      completed: this.completed,
    };
  }

  /** Ends the worker; hashes still waiting fail. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    const error = new Error('The password hasher was closed.');
    for (const job of this.queue.splice(0)) job.reject(error);
    this.finish(error);
    if (worker !== null) await worker.terminate();
  }

  private next(): void {
    if (this.running !== null) return;
    const job = this.queue.shift();
    if (job === undefined) {
      // An idle worker does not keep the process alive (the accounts command exits when done).
      this.worker?.unref();
      return;
    }
    this.running = job;
    this.started += 1;
    this.runningSince = performance.now();
    const worker = this.workerNow();
    worker.ref();
    worker.postMessage({
      password: job.password,
      salt: new Uint8Array(job.salt),
      keyLength: KEY_LENGTH,
      options: { ...job.cost, maxmem: MAX_MEMORY },
    });
  }

  private workerNow(): Worker {
    if (this.worker !== null) return this.worker;
    const worker = new Worker(workerSource, { eval: true });
    worker.on('message', (answer: WorkerAnswer) => {
      this.finish('key' in answer ? Buffer.from(answer.key) : new Error(answer.error));
    });
    const lost = (error: Error): void => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.finish(error);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`The password hashing thread stopped (${code}).`)));
    this.worker = worker;
    return worker;
  }

  private finish(result: Buffer | Error): void {
    const job = this.running;
    if (job === null) return;
    this.running = null;
    this.completed += 1;
    this.averageMs = 0.8 * this.averageMs + 0.2 * (performance.now() - this.runningSince);
    if (result instanceof Error) job.reject(result);
    else job.resolve(result);
    this.next();
  }
}

let shared: PasswordHasher | undefined;

/** The process's hasher: one hashing thread for the server, the accounts command and the tests. */
export function sharedPasswordHasher(): PasswordHasher {
  shared ??= new PasswordHasher();
  return shared;
}
