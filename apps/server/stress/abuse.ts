/**
 * What an attacker does to the front door, against a real listening server on loopback: forged
 * Host headers (DNS rebinding), cross-site form POSTs, many idle and half-sent connections from one
 * address, many event streams, many concurrent backup disk reads, PowerShell scripts that once froze
 * the server (hostileScripts.ts). Seeded and bounded in count and
 * time; only 127.0.0.x addresses are used. Each case reports the problems it found.
 */
import { connect } from 'node:net';
import type { Socket } from 'node:net';
import { get } from 'node:http';
import type { ClientRequest } from 'node:http';
import {
  ABUSE_DISK_READS,
  ABUSE_EVENT_STREAMS,
  ABUSE_LIMITS,
  codeOf,
  sendRaw,
  startAbuseTarget,
} from './abuseTarget.js';
import type { AbuseTarget, Answer } from './abuseTarget.js';
import { hostileScripts } from './hostileScripts.js';
import { Random, rawResponse } from '@hvm/stress-support';

export interface AbuseOptions {
  seed: number;
  /** Forged-Host and cross-site requests each. */
  requests: number;
  /** Connections beyond the per-address cap opened by the flood. */
  extraConnections: number;
  /** Event streams beyond the cap. */
  extraStreams: number;
  /** Backup disk reads sent at once. */
  diskReads: number;
  /** The whole run's budget; a case still running then is a problem. */
  seconds: number;
  log?: (line: string) => void;
}

export interface AbuseReport {
  seed: number;
  byCase: Record<string, Record<string, number>>;
  problems: string[];
  /** The step the run last reached: a budget overrun names where it stood. */
  step: string;
}

const FORGED_HOSTS = [
  'rebind.attacker.example',
  'attacker.example:8080',
  '127.0.0.1.attacker.example',
  'localhost.attacker.example',
  '[::2]',
  '10.0.0.1',
];

const CROSS_SITE_HEADERS: Record<string, string>[] = [
  { Origin: 'https://attacker.example', 'Sec-Fetch-Site': 'cross-site' },
  { Origin: 'http://127.0.0.1:1' },
  { Origin: 'null' },
  { 'Sec-Fetch-Site': 'same-site' },
  {},
];
const FORM_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
];

function tally(counts: Record<string, number>, answer: Answer): void {
  const key = `${answer.status} ${codeOf(answer) ?? ''}`.trim();
  counts[key] = (counts[key] ?? 0) + 1;
}

function stateOf(target: AbuseTarget): string {
  const vms = target.host.listVms().map((vm) => `${vm.name}:${vm.state}:${vm.checkpointCount}`);
  return JSON.stringify(vms);
}

async function forgedHosts(
  target: AbuseTarget,
  random: Random,
  report: AbuseReport,
  count: number,
): Promise<void> {
  const counts: Record<string, number> = {};
  const before = stateOf(target);
  const vm = target.vmId;
  const routes = [
    { path: '/api/v1/vms' },
    { path: '/api/v1/host' },
    { path: '/' },
    {
      method: 'POST',
      path: '/api/v1/powershell',
      body: JSON.stringify({ script: 'Remove-VM -Name sql01 -Force' }),
    },
    { method: 'POST', path: `/api/v1/vms/${vm}/checkpoints`, body: '{}' },
    { method: 'POST', path: `/api/v1/vms/${vm}/actions/turn-off` },
  ];
  for (let i = 0; i < count; i++) {
    const route = random.pick(routes);
    const answer = await sendRaw(target.port, {
      ...route,
      headers: { Host: random.pick(FORGED_HOSTS), 'Content-Type': 'application/json' },
    });
    tally(counts, answer);
    if (answer.status !== 421 || codeOf(answer) !== 'MISDIRECTED_REQUEST') {
      report.problems.push(
        `forged Host: ${route.method ?? 'GET'} ${route.path} answered ${answer.status}`,
      );
    }
  }
  if (stateOf(target) !== before)
    report.problems.push(`forged Host changed the host: ${before} -> ${stateOf(target)}`);
  report.byCase['forged Host'] = counts;
}

async function crossSiteForms(
  target: AbuseTarget,
  random: Random,
  report: AbuseReport,
  count: number,
): Promise<void> {
  const counts: Record<string, number> = {};
  const before = stateOf(target);
  const vm = target.vmId;
  const paths = [
    `/api/v1/vms/${vm}/checkpoints`,
    `/api/v1/vms/${vm}/actions/turn-off`,
    `/api/v1/vms/${vm}/actions/save`,
    '/api/v1/powershell',
    '/api/v1/vms',
  ];
  for (let i = 0; i < count; i++) {
    const headers = { ...random.pick(CROSS_SITE_HEADERS), 'Content-Type': random.pick(FORM_TYPES) };
    const path = random.pick(paths);
    const answer = await sendRaw(target.port, {
      method: 'POST',
      path,
      headers,
      body:
        path === '/api/v1/powershell'
          ? '{"script":"Remove-VM -Name sql01 -Force"}'
          : '{"name":"x"}',
    });
    tally(counts, answer);
    if (answer.status !== 403 && answer.status !== 415) {
      report.problems.push(
        `cross-site form POST ${path} ${JSON.stringify(headers)} answered ${answer.status}`,
      );
    }
  }
  if (stateOf(target) !== before)
    report.problems.push(`a cross-site POST changed the host: ${before} -> ${stateOf(target)}`);
  report.byCase['cross-site form POST'] = counts;
}

/** Opens a raw connection from `localAddress`; resolves once connected (or closed at once). */
function openConnection(
  port: number,
  localAddress: string,
): Promise<{ socket: Socket; closed: Promise<void> }> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    socket.on('error', () => undefined);
    // The server closing its side shows as the end of the data: read it, so the end is seen even
    // when the client's own close would wait on a write the server never reads.
    socket.resume();
    const closed = new Promise<void>((done) => {
      socket.once('end', () => done());
      socket.once('close', () => done());
    });
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('close', () => resolve({ socket, closed }));
  });
}

async function connectionFlood(
  target: AbuseTarget,
  random: Random,
  report: AbuseReport,
  extra: number,
): Promise<void> {
  const counts: Record<string, number> = {};
  const total = ABUSE_LIMITS.maxConnectionsPerAddress + extra;
  report.step = `connection flood: opening ${total} connections`;
  const opened = await Promise.all(
    Array.from({ length: total }, () => openConnection(target.port, '127.0.0.1')),
  );
  // Half of those let in send a request head that never ends; the rest send nothing.
  for (const { socket } of opened) {
    if (!socket.destroyed && random.chance(0.5))
      socket.write('GET /api/v1/vms HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
  }
  // Meanwhile another address is served as usual.
  report.step = 'connection flood: a request from another address';
  const other = await sendRaw(target.port, { path: '/api/v1/vms', localAddress: '127.0.0.2' });
  tally(counts, other);
  if (other.status !== 200)
    report.problems.push(
      `a client of another address was refused during the flood: ${other.status}`,
    );
  // Every connection of the flood is closed by the server: at once beyond the cap, else by the timeouts.
  let closedByServer = 0;
  const waiting = (): string =>
    `connection flood: ${closedByServer} of ${opened.length} connections closed by the server ` +
    `(${opened.filter(({ socket }) => socket.destroyed).length} destroyed on this side, ` +
    `${opened.filter(({ socket }) => socket.readyState === 'open').length} still open)`;
  report.step = waiting();
  await Promise.all(
    opened.map(async ({ closed }) => {
      await closed;
      closedByServer += 1;
      report.step = waiting();
    }),
  );
  counts['connections closed by the server'] = closedByServer;
  report.step = 'connection flood: the flooding address asks again';
  const after = await sendRaw(target.port, { path: '/api/v1/vms', localAddress: '127.0.0.1' });
  tally(counts, after);
  if (after.status !== 200)
    report.problems.push(`the flooding address was not served again afterwards: ${after.status}`);
  report.byCase['idle and half-sent connections'] = counts;
}

async function eventStreams(
  target: AbuseTarget,
  report: AbuseReport,
  extra: number,
): Promise<void> {
  const counts: Record<string, number> = {};
  const streams: ClientRequest[] = [];
  const open = (): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const req = get(
        { host: '127.0.0.1', port: target.port, path: '/api/v1/events', agent: false },
        (res) => {
          if (res.statusCode === 200) {
            streams.push(req);
            resolve(rawResponse(200, res.headers, Buffer.alloc(0)));
            return;
          }
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve(rawResponse(res.statusCode ?? 0, res.headers, Buffer.concat(chunks))),
          );
        },
      );
      req.on('error', reject);
    });
  for (let i = 0; i < ABUSE_EVENT_STREAMS + extra; i++) {
    const answer = await open();
    tally(counts, answer);
    const expected = i < ABUSE_EVENT_STREAMS ? 200 : 429;
    if (answer.status !== expected)
      report.problems.push(`event stream ${i + 1} answered ${answer.status}, expected ${expected}`);
    if (answer.status === 429 && answer.headers['retry-after'] === undefined)
      report.problems.push('a 429 without Retry-After');
  }
  for (const stream of streams) stream.destroy();
  report.byCase['event streams'] = counts;
}

async function diskReads(target: AbuseTarget, report: AbuseReport, count: number): Promise<void> {
  const counts: Record<string, number> = {};
  const path = `/api/v1/vms/${target.vmId}/backup/checkpoints/${target.backupCheckpointId}/disk?offset=0&length=4194304`;
  const answers = await Promise.all(
    Array.from({ length: count }, () => sendRaw(target.port, { path })),
  );
  for (const answer of answers) {
    tally(counts, answer);
    const ok = answer.status === 200 && answer.body.length === 4 * 1024 * 1024;
    const busy =
      answer.status === 503 &&
      codeOf(answer) === 'SERVER_BUSY' &&
      answer.headers['retry-after'] !== undefined;
    if (!ok && !busy)
      report.problems.push(
        `a backup disk read answered ${answer.status} (${answer.body.length} bytes)`,
      );
  }
  counts['most reads at once'] = target.diskReads.most;
  if (target.diskReads.most > ABUSE_DISK_READS.concurrent) {
    report.problems.push(
      `${target.diskReads.most} backup disk reads ran at once (cap ${ABUSE_DISK_READS.concurrent})`,
    );
  }
  report.byCase['concurrent disk reads'] = counts;
}

export async function runAbuseCases(options: AbuseOptions): Promise<AbuseReport> {
  const report: AbuseReport = { seed: options.seed, byCase: {}, problems: [], step: 'starting' };
  const random = new Random(options.seed);
  const target = await startAbuseTarget();
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.seconds * 1000);
  });
  const cases = async (): Promise<'done'> => {
    report.step = 'forged Host headers';
    await forgedHosts(target, random, report, options.requests);
    report.step = 'cross-site form POSTs';
    await crossSiteForms(target, random, report, options.requests);
    await connectionFlood(target, random, report, options.extraConnections);
    report.step = 'event streams';
    await eventStreams(target, report, options.extraStreams);
    report.step = 'concurrent disk reads';
    await diskReads(target, report, options.diskReads);
    report.step = 'hostile scripts';
    report.byCase['hostile scripts'] = {};
    await hostileScripts(target, random, report.byCase['hostile scripts'], report.problems);
    return 'done';
  };
  try {
    if ((await Promise.race([cases(), budget])) === 'timeout') {
      report.problems.push(
        `the abuse cases did not finish within ${options.seconds} s (stuck at: ${report.step})`,
      );
    }
  } finally {
    clearTimeout(timer);
    await target.close();
  }
  for (const error of target.logged) report.problems.push(`server error: ${String(error)}`);
  for (const [name, counts] of Object.entries(report.byCase))
    options.log?.(`${name}: ${JSON.stringify(counts)}`);
  return report;
}
