import { defineConfig } from 'vitest/config';

// End-to-end: a real server (DBBAT_URL), driven through Debian's Chromium by playwright-core.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // the steps build on each other (user -> grant -> proxy session -> revoke): stop at the first failure
    bail: 1,
    sequence: { concurrent: false },
  },
});
