import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Specs may only open connections on this machine (src/testing/loopback-only.setup.ts).
    setupFiles: ['src/testing/loopback-only.setup.ts'],
  },
  esbuild: { jsx: 'automatic', jsxImportSource: 'hono/jsx' },
});
