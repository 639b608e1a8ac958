import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: 'smpp', include: ['test/**/*.test.ts'] },
});
