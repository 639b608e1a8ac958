import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'mongo-server', include: ['test/**/*.test.ts'] },
});
