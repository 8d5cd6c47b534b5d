// Bounded HTTP load and live-event fan-out, against 127.0.0.1 only.
import { fork } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import type { HostServerMessage } from './hostServer.js';
import type { EventFigures, LoadResult, RssFigures } from './types.js';
import { percentile } from './util.js';

const childScript = fileURLToPath(new URL('./hostServer.js', import.meta.url));

export interface Child {
  pid: number | undefined;
  port: number;
  buildMs: number;
  /** The child's memory after a forced GC. */
  rss: () => Promise<RssFigures>;
  /** Sends the child a message; resolves with its next message. */
  ask: (message: object) => Promise<HostServerMessage>;
  stop: () => void;
  /** Ends the child and resolves once it has exited. */
  close: () => Promise<void>;
}

/** Starts hostServer.js; resolves with its port, its build time and a way to stop it. */
export function startChild(args: string[], timeoutMs = 90 * 60_000): Promise<Child> {
  const child = fork(childScript, args, {
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('the host did not start in time'));
    }, timeoutMs);
    child.once('exit', (code) => reject(new Error(`host process exited (${String(code)})`)));
    child.on('message', (message) => {
      const m = message as HostServerMessage;
      if (m.type !== 'ready') return;
      clearTimeout(timer);
      resolve({
        pid: child.pid,
        port: m.port,
        buildMs: m.buildMs,
        rss: () =>
          new Promise((res) => {
            child.once('message', (r) => res(r as RssFigures));
            child.send('rss');
          }),
        ask: (question) =>
          new Promise((res) => {
            child.once('message', (r) => res(r as HostServerMessage));
            child.send(question);
          }),
        stop: () => {
          child.removeAllListeners('exit');
          child.kill();
        },
        close: () =>
          new Promise<void>((res) => {
            child.removeAllListeners('exit');
            child.once('exit', () => res());
            child.kill();
          }),
      });
    });
  });
}

export function get(
  port: number,
  path: string,
  agent?: http.Agent,
): Promise<{ status: number | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** A GET whose body is read and dropped (the load loops need its status only). */
function getDiscarding(
  port: number,
  path: string,
  agent: http.Agent,
): Promise<{ status: number | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve({ status: res.statusCode }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** `connections` keep-alive loops for `durationMs` (and at most `maxRequests`); bodies dropped unread. */
export async function load(
  port: number,
  path: string,
  {
    connections,
    durationMs,
    maxRequests,
  }: { connections: number; durationMs: number; maxRequests: number },
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + durationMs;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end && latencies.length + errors < maxRequests) {
        const s = performance.now();
        try {
          const r = await getDiscarding(port, path, agent);
          if (r.status === 200) latencies.push(performance.now() - s);
          else errors++;
        } catch {
          errors++;
        }
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  return {
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    requests: latencies.length,
    errors,
  };
}

function post(port: number, path: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.end('{}');
  });
}

/** One round of the fan-out: when its change was posted, which clients have seen its event. */
interface Round {
  t0: number;
  seen: Set<number>;
  latencies: number[];
  done: () => void;
}

/** `subscribers` SSE clients; each round changes one VM's state and times every client's event. */
export async function eventFanOut(
  port: number,
  vmId: string,
  { subscribers, rounds }: { subscribers: number; rounds: number },
): Promise<EventFigures> {
  const clients: http.ClientRequest[] = [];
  const waiting = new Set<Round>();
  let round: Round | null = null;
  for (let i = 0; i < subscribers; i++) {
    await new Promise<void>((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port, path: '/api/v1/events', agent: false },
        (res) => {
          let buffer = '';
          res.setEncoding('utf8');
          res.on('data', (text: string) => {
            buffer += text;
            let cut;
            while ((cut = buffer.indexOf('\n\n')) >= 0) {
              const block = buffer.slice(0, cut);
              buffer = buffer.slice(cut + 2);
              if (
                round !== null &&
                block.startsWith('event: vm-changed') &&
                block.includes(vmId) &&
                !round.seen.has(i)
              ) {
                round.seen.add(i);
                round.latencies.push(performance.now() - round.t0);
                if (round.seen.size === subscribers) round.done();
              }
            }
          });
          resolve();
        },
      );
      req.on('error', reject);
      clients.push(req);
    });
  }
  const latencies: number[] = [];
  let posted: Promise<void> = Promise.resolve();
  try {
    for (let r = 0; r < rounds; r++) {
      await new Promise((res) => setTimeout(res, 50));
      const action = r % 2 === 0 ? 'start' : 'turn-off';
      await new Promise<void>((resolve, reject) => {
        let answer = 'no answer yet';
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `only ${current.seen.size} of ${subscribers} clients were notified (POST ${action}: ${answer})`,
              ),
            ),
          5000,
        );
        const current: Round = {
          t0: performance.now(),
          seen: new Set(),
          latencies,
          done: () => (clearTimeout(timer), resolve()),
        };
        round = current;
        waiting.add(current);
        posted = post(port, `/api/v1/vms/${vmId}/actions/${action}`).then((status) => {
          answer = String(status);
        }, reject);
      });
      // The next action waits for this one's answer too (a turn-off while starting is refused).
      await posted;
      round = null;
    }
  } finally {
    for (const c of clients) c.destroy();
  }
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: Math.max(...latencies),
    samples: latencies.length,
  };
}
