import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'receipts',
    include: ['test/**/*.test.ts'],
    globalSetup: ['../test-mongo/src/global-setup.ts'],
  },
});
