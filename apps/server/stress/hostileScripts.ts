/**
 * Scripts that froze or crashed the server before PowerShell ran in a worker with budgets, sent to
 * a real listening server on loopback: a catastrophic regular expression, a doubling array, 2000
 * nested parentheses and an endless loop. While each runs, the rest of the API must answer, and
 * each must end with an answer of its own (a result, a parse error or a limit's record), never a
 * 5xx. Bounded: one run of each, ended by the target's short wall-clock limit at the latest.
 */
import { sendRaw } from './abuseTarget.js';
import type { AbuseTarget, Answer } from './abuseTarget.js';
import type { Random } from '@hvm/stress-support';

interface HostileScript {
  name: string;
  script: (random: Random) => string;
  /** What the run's console text must say. */
  expect: RegExp;
}

const HOSTILE_SCRIPTS: HostileScript[] = [
  {
    name: 'catastrophic regex',
    script: (random) => `'${'a'.repeat(40 + random.int(40))}!' -match '(a+)+$'`,
    expect: /^False/,
  },
  {
    name: 'doubling array',
    script: () =>
      ['$a = 1, 2', ...Array.from({ length: 40 }, () => '$a = @($a; $a)'), '$a.Count'].join('\n'),
    expect: /ScriptLimitExceeded|limit/i,
  },
  {
    name: '2000 nested parentheses',
    script: () => `${'('.repeat(2000)}1${')'.repeat(2000)}`,
    expect: /ScriptNestedTooDeeply|nest/i,
  },
  {
    name: 'endless loop',
    script: () =>
      [
        '$a = 1, 2',
        ...Array.from({ length: 12 }, () => '$a = @($a; $a)'),
        '$a | ForEach-Object { $a | ForEach-Object { $_ } | Out-Null }',
      ].join('\n'),
    expect: /limit/i,
  },
];

function post(target: AbuseTarget, script: string): Promise<Answer> {
  return sendRaw(target.port, {
    method: 'POST',
    path: '/api/v1/powershell',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ script }),
  });
}

export async function hostileScripts(
  target: AbuseTarget,
  random: Random,
  counts: Record<string, number>,
  problems: string[],
): Promise<void> {
  for (const hostile of HOSTILE_SCRIPTS) {
    let finished = false;
    const running = post(target, hostile.script(random)).finally(() => {
      finished = true;
    });
    // The rest of the API answers while the script runs (or after it, for the fast ones).
    const meanwhile = await sendRaw(target.port, { path: '/api/v1/vms' });
    if (meanwhile.status !== 200)
      problems.push(`GET /vms answered ${meanwhile.status} during "${hostile.name}"`);
    if (hostile.name === 'endless loop' && finished)
      problems.push('GET /vms waited for the endless script to end');
    const answer = await running;
    const key = `${hostile.name}: ${answer.status}`;
    counts[key] = (counts[key] ?? 0) + 1;
    if (answer.status !== 200) {
      problems.push(`"${hostile.name}" answered ${answer.status}`);
      continue;
    }
    const { output } = JSON.parse(answer.body.toString('utf8')) as { output?: string };
    if (typeof output !== 'string' || !hostile.expect.test(output))
      problems.push(`"${hostile.name}" answered ${JSON.stringify(output?.slice(0, 200))}`);
  }
}
