// Where the chaos schedules leave their counts, and the final line that sums them up.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One file per run: globalSetup names it in the environment the workers inherit. */
export const results = () => join(tmpdir(), `klite-chaos-${process.env.CHAOS_RUN}.jsonl`);

export function clear() {
  rmSync(results(), { force: true });
}

export function summary() {
  const runs = existsSync(results())
    ? readFileSync(results(), 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];
  const sum = (k) => runs.reduce((a, r) => a + r[k], 0);
  return `chaos: ${runs.length} schedules, sent ${sum('sent')}, delivered ${sum('delivered')}, lost ${sum('lost')}, duplicates ${sum('duplicates')}`;
}
