import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The engine's layout (README, "Layout: a top and a bottom"), checked on its own source: the
 * relative imports of every file that is not a test, type imports included.
 */
const srcFolder = dirname(fileURLToPath(import.meta.url));

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.includes('.test.') ? [path] : [];
  });
}

const IMPORT = /(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)\.js'/g;

/** Each file (relative to src/, with `/`) and the files it imports. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const path of sourceFiles(srcFolder)) {
    const file = relative(srcFolder, path).split('\\').join('/');
    const imports = [...readFileSync(path, 'utf8').matchAll(IMPORT)].map(
      (match) => `${posix.normalize(posix.join(posix.dirname(file), match[1] ?? ''))}.ts`,
    );
    graph.set(file, imports);
  }
  return graph;
}

function reachable(graph: Map<string, string[]>, from: string): Set<string> {
  const seen = new Set<string>();
  const next = [...(graph.get(from) ?? [])];
  for (let file = next.pop(); file !== undefined; file = next.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    next.push(...(graph.get(file) ?? []));
  }
  return seen;
}

describe("the engine's layout", () => {
  const graph = importGraph();

  it('reads the source it checks', () => {
    expect(graph.get('createHost.ts')).toContain('host/hostContext.ts');
  });

  it('has no circle of imports: no file reaches itself', () => {
    const circles = [...graph.keys()].filter((file) => reachable(graph, file).has(file));
    expect(circles).toEqual([]);
  });

  it('has the composition root at the top: only index.ts and testing/ import createHost.ts', () => {
    const importers = [...graph].filter(([, imports]) => imports.includes('createHost.ts'));
    expect(importers.map(([file]) => file).sort()).toEqual(['index.ts', 'testing/index.ts']);
  });

  it('keeps the Host interface at the foot of the kernel: it reaches no use case', () => {
    // A new method's input and result types go to a file of types (types.ts, disk/diskTypes.ts),
    // not to the use case's own file, which works on HostContext.
    const reached = reachable(graph, 'host/host.ts');
    expect(reached.has('host/hostContext.ts')).toBe(false);
    expect(reached.has('disk/diskTypes.ts')).toBe(true);
  });

  it('runs the simulated guest below the kernel: it reaches nothing of host/', () => {
    const reached = [...reachable(graph, 'guest/guestRuntime.ts')];
    expect(reached.filter((file) => file.startsWith('host/') || file === 'createHost.ts')).toEqual(
      [],
    );
  });
});
