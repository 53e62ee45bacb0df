import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    testTimeout: 30 * 60_000,
    hookTimeout: 10 * 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'long',
          include: ['tests/**/*.long.test.ts'],
          exclude: ['tests/**/*.pg.long.test.ts', 'node_modules/**'],
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres-long',
          include: ['tests/**/*.pg.long.test.ts'],
          globalSetup: ['tests/postgres/global-setup.ts'],
        },
      },
    ],
  },
});
