import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Generous bounds: on a loaded two-core machine a site with demo images takes far longer to
    // start than on an idle one; these catch hangs, they do not measure speed (bench/ does).
    testTimeout: 90_000,
    hookTimeout: 240_000,
    // Two cores: more workers only fight over them (browser and Java tests are heavy).
    maxWorkers: 2,
    reporters: ['default'],
  },
});
