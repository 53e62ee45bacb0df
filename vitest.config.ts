import { defineConfig } from 'vitest/config';

// `npm test` runs the bounded suite; suites named *.long.test.ts run with `npm run test:long`.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/**/*.long.test.ts', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
