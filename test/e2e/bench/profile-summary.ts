// Where the time goes in a V8 .cpuprofile (from `node --cpu-prof`): self time by package and by
// function, and inclusive time of the heaviest functions of our packages.
// `node test/e2e/bench/profile-summary.ts <file.cpuprofile> [top]`
import { readFileSync } from 'node:fs';

type Node = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount: number;
  children?: number[];
};
type Profile = { nodes: Node[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary.ts <file.cpuprofile> [top]');
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMs = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i]!;
  selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
}
const totalMs = (profile.endTime - profile.startTime) / 1000;

function area(url: string, name: string): string {
  if (url === '') return name.startsWith('(') ? name : '(native)';
  const pkg = /packages\/([^/]+)\//.exec(url);
  if (pkg) return `@smsc/${pkg[1]}`;
  const dep = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dep) return dep[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  return url;
}

const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const areaSelf = new Map<string, number>();
const fnSelf = new Map<string, number>();
const fnTotal = new Map<string, number>();
for (const [id, ms] of selfMs) {
  const n = byId.get(id)!;
  const a = area(n.callFrame.url, n.callFrame.functionName);
  areaSelf.set(a, (areaSelf.get(a) ?? 0) + ms);
  const key = `${n.callFrame.functionName || '(anonymous)'} ${a}${n.callFrame.url ? `:${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber + 1}` : ''}`;
  fnSelf.set(key, (fnSelf.get(key) ?? 0) + ms);
  // Inclusive: once per distinct function on the stack.
  const seen = new Set<string>();
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
    const f = byId.get(cur)!;
    const fa = area(f.callFrame.url, f.callFrame.functionName);
    if (!fa.startsWith('@smsc/')) continue;
    const k = `${f.callFrame.functionName || '(anonymous)'} ${fa}:${f.callFrame.url.split('/').pop()}:${f.callFrame.lineNumber + 1}`;
    if (seen.has(k)) continue;
    seen.add(k);
    fnTotal.set(k, (fnTotal.get(k) ?? 0) + ms);
  }
}

const show = (title: string, m: Map<string, number>, n: number) => {
  console.log(`\n${title}`);
  for (const [k, ms] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n))
    console.log(`${ms.toFixed(0).padStart(8)} ms ${((ms / totalMs) * 100).toFixed(1).padStart(5)}%  ${k}`);
};
console.log(`${file}: ${totalMs.toFixed(0)} ms wall`);
show('self time by package', areaSelf, 30);
show('self time by function', fnSelf, top);
show('inclusive time, functions of our packages', fnTotal, top);
