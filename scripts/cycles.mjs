// Fails on an import cycle in src/, type imports included, and on the core importing from
// capture/ (auto-capture is reachable only through api.ts's one import, see rollup.config.mjs;
// cli/, the dev tools, may read pages with it).
// Part of `npm run typecheck`.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const SRC = new URL('../src/', import.meta.url).pathname;
const files = (dir) =>
  readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : f.endsWith('.ts') ? [join(dir, f)] : []));

const all = new Set(files(SRC));
/** Each file's local imports, as files. */
const graph = new Map();
for (const file of all) {
  const text = readFileSync(file, 'utf8');
  const deps = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s*['"](\.[^'"]+)['"]/gm)].map(([, spec]) => {
    const base = join(dirname(file), spec);
    return [base + '.ts', join(base, 'index.ts')].find((f) => all.has(f));
  });
  graph.set(file, deps.filter(Boolean));
}

const name = (f) => relative(SRC, f);
const problems = [];
// Cycles: depth-first, each reported once by its members.
const state = new Map();
const stack = [];
const seen = new Set();
const visit = (f) => {
  state.set(f, 1);
  stack.push(f);
  for (const d of graph.get(f) || []) {
    if (state.get(d) === 1) {
      const cycle = stack.slice(stack.indexOf(d)).map(name);
      const key = [...cycle].sort().join();
      if (!seen.has(key)) {
        seen.add(key);
        problems.push('import cycle: ' + [...cycle, name(d)].join(' → '));
      }
    } else if (!state.has(d)) visit(d);
  }
  stack.pop();
  state.set(f, 2);
};
[...graph.keys()].sort().forEach((f) => state.has(f) || visit(f));

// cli/ and debug/ are not in any bundle merchants load with the core: `klite check`'s probe and
// klite-debug.js (a script of its own) read pages with capture/'s readers.
for (const [f, deps] of graph)
  if (!/^(capture|cli|debug)\//.test(name(f)) && name(f) !== 'api.ts')
    for (const d of deps) if (name(d).startsWith('capture/')) problems.push(`the core imports auto-capture: ${name(f)} → ${name(d)}`);

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`imports: ${graph.size} files in src/, no cycle, the core free of capture/`);
