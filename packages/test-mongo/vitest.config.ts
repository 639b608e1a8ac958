import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'test-mongo',
    include: ['test/**/*.test.ts'],
    globalSetup: ['./src/global-setup.ts'],
  },
});
