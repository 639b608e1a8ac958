import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'e2e',
    include: ['e2e/**/*.test.ts'],
    // One MongoDB per run (MONGODB_URI, a container, or the in-memory server), shared with the SMSC
    // child processes through its URI.
    globalSetup: ['../packages/test-mongo/src/global-setup.ts'],
    // Child processes on a loaded 2-core machine: every wait inside a test is bounded on its own
    // (a few seconds each); these only catch what escapes them.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
