import { defineConfig } from 'vitest/config';

// `npm test` runs the bounded suite; suites named *.long.test.ts run with `npm run test:long`.
// Suites named *.pg.test.ts need PostgreSQL: their project starts one throwaway cluster for the
// whole run (tests/postgres/global-setup.ts), only when at least one of them is selected.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/**/*.long.test.ts', 'tests/**/*.pg.test.ts', 'node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: ['tests/**/*.pg.test.ts'],
          exclude: ['tests/**/*.long.test.ts', 'node_modules/**'],
          globalSetup: ['tests/postgres/global-setup.ts'],
        },
      },
    ],
  },
});
