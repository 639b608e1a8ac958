import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'mongo-server',
    include: ['test/**/*.test.ts'],
    // One MongoDB per run: MONGODB_URI, testcontainers, or the in-memory server (see test-mongo).
    globalSetup: ['../test-mongo/src/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
