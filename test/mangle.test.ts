import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The fields of a stored call are pinned to their stored keys by mangle.json (see src/types.ts
// `Item`); e2e/stored-format.spec.mjs checks the built bundle against what 0.1.0 stored.
const read = (path: string) => readFileSync(new URL('../' + path, import.meta.url), 'utf8');
const pins: Record<string, string> = JSON.parse(read('mangle.json')).props;
const item = read('src/types.ts').match(/export interface Item \{([\s\S]*?)\n\}/)![1];
const fields = [...item.matchAll(/^\s+(_\w+)\??:/gm)].map((m) => m[1]);

describe('mangle.json', () => {
  it('pins every field of a stored call, and nothing else', () => {
    expect(fields.length).toBeGreaterThan(5);
    expect(Object.keys(pins).sort()).toEqual(fields.map((f) => '$' + f).sort());
  });

  it('gives each field its own short stored key, as 0.1.0 stored them', () => {
    expect(pins).toEqual({ $_kind: 'k', $_metric: 'm', $_attributes: 'a', $_meta: 'x', $_profile: 'p', $_client: 'c', $_accepted: 's' });
    expect(new Set(Object.values(pins)).size).toBe(fields.length);
  });
});
