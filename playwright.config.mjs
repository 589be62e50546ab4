import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/chromium.mjs';

// Debian's Chromium, never a downloaded browser; flags for running as root on a closed network.
export default defineConfig({
  testDir: 'e2e',
  // The three-engine suite and the chaos schedules have their own configs.
  testIgnore: ['engines/**', 'chaos/**'],
  timeout: 60_000,
  expect: { timeout: 15_000 },
  workers: 2,
  retries: 0,
  reporter: [['list']],
  use: {
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    },
  },
});
