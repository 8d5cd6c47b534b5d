/** Test fixture: a password hasher whose hashes finish only when the test releases them. */
import { scryptSync } from 'node:crypto';
import type { HashingStats, PasswordHashing, ScryptCost } from '../auth/passwordHasher.js';
import { HashingQueueFull, KEY_LENGTH } from '../auth/passwordHasher.js';

export interface GatedHasher extends PasswordHashing {
  /** Hashes waiting for `release`. */
  readonly pending: number;
  /** Finishes every waiting hash (really computing it). */
  release(): void;
}

export function gatedHasher(capacity = Infinity): GatedHasher {
  const waiting: (() => void)[] = [];
  let started = 0;
  let completed = 0;
  const hasRoom = (): boolean => waiting.length < capacity;
  return {
    get pending() {
      return waiting.length;
    },
    derive: (password: string, salt: Buffer, cost: ScryptCost) => {
      if (!hasRoom()) return Promise.reject(new HashingQueueFull(7));
      started += 1;
      const compute = (): Buffer => {
        completed += 1;
        return scryptSync(password, salt, KEY_LENGTH, { ...cost, maxmem: 64 * 1024 * 1024 });
      };
      return new Promise<Buffer>((resolve) => waiting.push(() => resolve(compute())));
    },
    hasRoom,
    retryAfterSeconds: () => 7,
    stats: (): HashingStats => ({ running: 0, queued: waiting.length, started, completed }),
    release: () => {
      for (const finish of waiting.splice(0)) finish();
    },
  };
}
