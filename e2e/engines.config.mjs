// `npm run test:engines`: the suite that runs in every engine shoppers use (e2e/engines/*.spec.mjs),
// one project per engine, each through e2e/engines/driver.mjs. Two workers: two cores.
import { defineConfig } from '@playwright/test';
import { ENGINES } from './engines/driver.mjs';

export default defineConfig({
  testDir: 'engines',
  testMatch: '*.spec.mjs',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 2,
  retries: 0,
  reporter: [['list']],
  projects: ENGINES.map((name) => ({ name, use: { engine: name } })),
});
