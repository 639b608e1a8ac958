import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'test-mongo', include: ['test/**/*.test.ts'] },
});
