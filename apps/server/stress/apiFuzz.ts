import { Random, caseSeed } from '@hvm/stress-support';
import { fromSchema, nastyString, randomJson, resolveRef, type Schema } from './fuzzValues.js';
import { startTarget, type FuzzTarget } from './fuzzTarget.js';

export interface ApiFuzzOptions {
  seed: number;
  cases: number;
  seconds: number;
  /** A request without an answer after this long is a hang. */
  caseBudgetMs: number;
  /** Cases per fresh host (fuzzing deletes VMs and checkpoints). */
  casesPerHost?: number;
  only?: number;
  log?: (line: string) => void;
}

export interface ApiFuzzFailure {
  index: number;
  caseSeed: number;
  request: string;
  problem: string;
}

export interface ApiFuzzReport {
  seed: number;
  cases: number;
  routes: number;
  byStatus: Record<string, number>;
  failures: ApiFuzzFailure[];
}

interface Route {
  path: string;
  methods: Map<string, Schema>;
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD'];
const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=koi8-r',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/merge-patch+json',
  '',
  '*/*',
  'application/json\u0000',
];

function routesOf(document: Schema): Route[] {
  const paths = document.paths as Record<string, Record<string, Schema>>;
  return Object.entries(paths).map(([path, operations]) => ({
    path,
    methods: new Map(
      Object.entries(operations).map(([method, operation]) => [method.toUpperCase(), operation]),
    ),
  }));
}

/** Ids that exist right now, so that many requests get past "not found". */
function knownIds(target: FuzzTarget): Record<string, string[]> {
  const vms = target.host.listVms();
  const checkpoints = vms.flatMap((vm) =>
    target.host.listCheckpoints(vm.id).checkpoints.map((c) => c.id),
  );
  return {
    vmId: vms.map((v) => v.id),
    checkpointId: checkpoints,
    taskId: target.host.listTasks().map((t) => t.id),
    action: [
      'start',
      'stop',
      'shutdown',
      'save',
      'pause',
      'resume',
      'reset',
      'revert',
      'export',
      'turnoff',
    ],
  };
}

/** Percent-encodes; a lone surrogate becomes the invalid UTF-8 it would be on the wire. */
function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
}

function paramValue(name: string, ids: Record<string, string[]>, random: Random): string {
  const known = ids[name] ?? [];
  const roll = random.next();
  if (roll < 0.6 && known.length > 0) return encode(random.pick(known));
  if (roll < 0.7) return '00000000-0000-4000-8000-00000000abcd';
  const value = nastyString(random);
  // Mostly encoded as a client would; sometimes raw, bad escapes included.
  return random.chance(0.75) ? encode(value) : value.replace(/[/?#]/g, '_');
}

interface Built {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
}

function buildRequest(
  document: Schema,
  routes: Route[],
  ids: Record<string, string[]>,
  base: string,
  random: Random,
): Built {
  const route = random.pick(routes);
  const documented = [...route.methods.keys()];
  const method = random.chance(0.8) ? random.pick(documented) : random.pick(METHODS);
  const operation = route.methods.get(method);
  let path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => paramValue(name, ids, random));
  if (random.chance(0.03))
    path += random.pick(['/', '//', '/extra', '/..', '%2F..%2F', '?', '#frag']);
  const query: string[] = [];
  const parameters = (operation?.parameters ?? []) as Schema[];
  for (const raw of parameters) {
    const parameter = resolveRef(document, raw);
    if (parameter.in !== 'query' || random.chance(0.3)) continue;
    const value = fromSchema(document, (parameter.schema ?? {}) as Schema, random);
    query.push(
      `${String(parameter.name)}=${encode(typeof value === 'string' ? value : JSON.stringify(value))}`,
    );
  }
  if (random.chance(0.1))
    query.push(`${encode(nastyString(random))}=${encode(nastyString(random))}`);
  const url = `${base}/api/v1${path}${query.length > 0 ? `?${query.join('&')}` : ''}`;

  const headers: Record<string, string> = {};
  let body: string | undefined;
  const content = (operation?.requestBody as Schema | undefined)?.content as
    Record<string, Schema> | undefined;
  const schema = content?.['application/json']?.schema as Schema | undefined;
  const roll = random.next();
  if (method === 'GET' || method === 'HEAD') {
    if (random.chance(0.05)) body = JSON.stringify(randomJson(random));
  } else if (roll < 0.45 && schema !== undefined)
    body = JSON.stringify(fromSchema(document, schema, random));
  else if (roll < 0.6) body = JSON.stringify(randomJson(random));
  else if (roll < 0.72)
    body = random.pick([
      '{',
      '{"name":',
      '[1,2',
      'nul',
      '{"a":1}}',
      '\u0000',
      '{"name":"\\ud800"}',
      '"just a string"',
      '{"__proto__":{"x":1}}',
    ]);
  else if (roll < 0.78) body = JSON.stringify({ name: 'x'.repeat(150_000) });
  else if (roll < 0.82) body = '[' + '['.repeat(5000) + ']'.repeat(5000) + ']';
  if (body !== undefined)
    headers['content-type'] = random.chance(0.75) ? 'application/json' : random.pick(CONTENT_TYPES);
  if (random.chance(0.05))
    headers.accept = random.pick(['text/html', 'application/xml', '*/*', 'text/event-stream']);
  return { method, url, headers, body };
}

function describe(built: Built): string {
  const body =
    built.body === undefined
      ? ''
      : ` body ${built.body.length > 200 ? `${built.body.slice(0, 200)}... (${built.body.length} chars)` : built.body}`;
  return `${built.method} ${built.url.replace(/^http:\/\/[^/]+/, '')} ${JSON.stringify(built.headers)}${body}`;
}

/** Sends one request and checks the answer: no 5xx, every 4xx a JSON error body, an answer in time. */
async function send(
  built: Built,
  budgetMs: number,
  byStatus: Record<string, number>,
): Promise<string | null> {
  const events = /\/api\/v1\/events\/?([?#]|$)/.test(built.url); // a fragment is never sent
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), events ? 300 : budgetMs);
  try {
    let response: Response;
    try {
      response = await fetch(built.url, {
        method: built.method,
        headers: built.headers,
        ...(built.body === undefined ? {} : { body: built.body }),
        signal: controller.signal,
      });
    } catch (error) {
      const message =
        error instanceof Error
          ? `${error.message} ${error.cause instanceof Error ? error.cause.message : ''}`
          : String(error);
      // The client itself refuses some requests (a body with GET, a bad header): nothing reached the server.
      if (
        !controller.signal.aborted &&
        /TypeError|Invalid|must not|cannot have body|header/i.test(message)
      )
        return null;
      return controller.signal.aborted
        ? `no answer within ${budgetMs} ms`
        : `connection failed: ${message}`;
    }
    byStatus[String(response.status)] = (byStatus[String(response.status)] ?? 0) + 1;
    let text = '';
    try {
      text = await response.text();
    } catch {
      if (!events) return `the answer (${response.status}) broke off`;
      return null;
    }
    if (response.status >= 500) return `answered ${response.status}: ${text.slice(0, 500)}`;
    if (response.status >= 400 && built.method !== 'HEAD') {
      const type = response.headers.get('content-type') ?? '';
      if (!type.includes('application/json'))
        return `answered ${response.status} with ${type || 'no content type'}: ${text.slice(0, 200)}`;
      try {
        const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
        if (
          typeof parsed.error?.code !== 'string' ||
          typeof parsed.error.message !== 'string' ||
          parsed.error.message === ''
        )
          return `answered ${response.status} without an error code and message: ${text.slice(0, 200)}`;
      } catch {
        return `answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`;
      }
    }
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Fuzzes every route of the OpenAPI document over HTTP: documented and undocumented methods,
 * valid and hostile path parameters, query strings, bodies built from the schemas then broken
 * (wrong types, extra fields, huge, unicode, NUL), malformed JSON and odd content types. Each case
 * is seeded; a failure prints its case seed and the request.
 */
export async function runApiFuzz(options: ApiFuzzOptions): Promise<ApiFuzzReport> {
  const log = options.log ?? (() => undefined);
  const perHost = options.casesPerHost ?? 250;
  const report: ApiFuzzReport = {
    seed: options.seed,
    cases: 0,
    routes: 0,
    byStatus: {},
    failures: [],
  };
  const deadline = Date.now() + options.seconds * 1000;
  let target = await startTarget();
  const document = (await (await fetch(`${target.base}/api/v1/openapi.json`)).json()) as Schema;
  const routes = routesOf(document);
  report.routes = routes.length;
  const first = options.only ?? 0;
  const last = options.only ?? options.cases - 1;
  try {
    for (let index = first; index <= last && Date.now() < deadline; index += 1) {
      if (index > first && (index - first) % perHost === 0) {
        await target.close();
        target = await startTarget();
      }
      const seed = caseSeed(options.seed, index);
      const random = new Random(seed);
      const built = buildRequest(document, routes, knownIds(target), target.base, random);
      const loggedBefore = target.logged.length;
      let problem = await send(built, options.caseBudgetMs, report.byStatus);
      if (problem === null && target.logged.length > loggedBefore) {
        const error = target.logged[target.logged.length - 1];
        problem = `the server logged an unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
      }
      report.cases += 1;
      if (problem !== null) {
        const failure = { index, caseSeed: seed, request: describe(built), problem };
        report.failures.push(failure);
        log(
          `FAIL case ${index} (replay: --seed ${options.seed} --case ${index}): ${failure.request}\n  ${problem}`,
        );
      }
    }
  } finally {
    await target.close();
  }
  return report;
}
