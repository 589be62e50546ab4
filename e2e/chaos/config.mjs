// `npm run test:chaos`: the seeded chaos schedules (e2e/chaos/schedules.spec.mjs) with the e2e settings.
import { defineConfig } from '@playwright/test';
import base from '../../playwright.config.mjs';

export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: 'schedules.spec.mjs',
  testIgnore: [],
  globalSetup: './setup.mjs',
  globalTeardown: './teardown.mjs',
});
