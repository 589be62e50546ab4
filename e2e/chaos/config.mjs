// `npm run test:chaos`: the seeded chaos schedules (e2e/chaos.chaos.mjs) with the e2e settings.
import { defineConfig } from '@playwright/test';
import base from '../playwright.config.mjs';

export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: '*.chaos.mjs',
  globalSetup: './chaos.setup.mjs',
  globalTeardown: './chaos.teardown.mjs',
});
