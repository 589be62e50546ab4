// What both e2e suites (Chromium's e2e/*.spec.mjs and the three engines' e2e/engines/) check of
// the local endpoint: the requests a test caused, and the events it waits for.
import { expect } from '@playwright/test';
import { conformance } from '../test/openapi.mjs';

/**
 * Problems with the requests that reached the endpoint, refused and faulted ones included: a body
 * that does not conform to Klaviyo's OpenAPI documents, a wrong revision header, a query that
 * carries more than the public key (no personal data in URLs).
 */
export function requestProblems(requests) {
  const problems = [];
  for (const r of requests) {
    if (!r.body) continue;
    const p = conformance(r.path, r.body);
    if (p) problems.push(p);
    if (r.headers.revision !== '2026-07-15') problems.push(`${r.path}: revision header ${r.headers.revision}`);
    if (!/^[A-Za-z0-9]{6}$/.test(r.query.company_id || '')) problems.push(`${r.path}: company_id ${r.query.company_id}`);
    if (Object.keys(r.query).join() !== 'company_id') problems.push(`${r.path}: query ${JSON.stringify(r.query)}`);
  }
  return problems;
}

/** Waits until `n` events arrived at `api` (duplicates excluded) and returns them. */
export async function eventCount(api, n, timeout = 20_000) {
  await expect.poll(async () => (await api.events()).filter((e) => !e.duplicate).length, { timeout }).toBe(n);
  return (await api.events()).filter((e) => !e.duplicate);
}
