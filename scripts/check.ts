// The project's whole test command (`npm test` runs it on Node 24): format and lint, type check,
// then every vitest project. Its last line is the plain total CI reads: `N passed, N failed`,
// where the linter and the type checker count as one check each.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const results = join(root, '.vitest-results.json');
let passed = 0;
let failed = 0;

function step(name: string, cmd: string, args: string[]): boolean {
  process.stdout.write(`\n== ${name}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  return r.status === 0;
}

const bin = (name: string) => join(root, 'node_modules', '.bin', name);

for (const [name, cmd, args] of [
  ['format and lint', bin('biome'), ['check', '.']],
  ['type check', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']],
] as const) {
  if (step(name, cmd, [...args])) passed++;
  else failed++;
}

rmSync(results, { force: true });
const extra = process.argv.slice(2);
step('tests', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${results}`,
  ...extra,
]);
if (existsSync(results)) {
  const summary = JSON.parse(readFileSync(results, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    testResults: { status: string; assertionResults: unknown[] }[];
  };
  passed += summary.numPassedTests;
  failed += summary.numFailedTests;
  // A test file that fails to load has no assertions but must still count as a failure.
  failed += summary.testResults.filter(
    (f) => f.status === 'failed' && f.assertionResults.length === 0,
  ).length;
} else {
  failed++;
}
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
