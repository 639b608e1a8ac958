#!/usr/bin/env node
// Runs on the machine's own Node (20 or newer) with nothing installed: fetches Node 24 and pnpm
// from the npm registry into .tools/ when needed, installs the workspace, then runs the task on
// Node 24. Plain JavaScript on purpose: it must run before TypeScript or Node 24 exist here.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const tools = join(root, '.tools');
const NODE_MAJOR = 24;
const PNPM_SPEC = 'pnpm@10';

const log = (msg) => process.stderr.write(`[bootstrap] ${msg}\n`);

function major(version) {
  return Number(String(version).replace(/^v/, '').split('.')[0]);
}

function npmPack(spec, dest) {
  mkdirSync(dest, { recursive: true });
  const out = execFileSync('npm', ['pack', spec, '--silent', '--pack-destination', dest], {
    cwd: dest,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const file = out.trim().split('\n').pop();
  execFileSync('tar', ['xzf', join(dest, file), '-C', dest]);
  rmSync(join(dest, file));
  return join(dest, 'package');
}

function ensureNode() {
  if (major(process.versions.node) >= NODE_MAJOR) return process.execPath;
  const bin = join(tools, 'node', 'package', 'bin', 'node');
  if (existsSync(bin)) {
    const v = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
    if (major(v) >= NODE_MAJOR) return bin;
  }
  const arch = process.arch;
  const spec = `node-${process.platform}-${arch}@${NODE_MAJOR}`;
  log(
    `Node ${process.versions.node} is older than ${NODE_MAJOR}: installing ${spec} from the npm registry into .tools/node`,
  );
  rmSync(join(tools, 'node'), { recursive: true, force: true });
  npmPack(spec, join(tools, 'node'));
  const v = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
  log(`installed Node ${v}`);
  return bin;
}

function ensurePnpm(node) {
  const cli = join(tools, 'pnpm', 'package', 'bin', 'pnpm.cjs');
  if (!existsSync(cli)) {
    log(`installing ${PNPM_SPEC} from the npm registry into .tools/pnpm`);
    rmSync(join(tools, 'pnpm'), { recursive: true, force: true });
    npmPack(PNPM_SPEC, join(tools, 'pnpm'));
    log(`installed pnpm ${execFileSync(node, [cli, '--version'], { encoding: 'utf8' }).trim()}`);
  }
  return cli;
}

const task = process.argv[2];
const rest = process.argv.slice(3);
if (!task) {
  log('usage: node scripts/bootstrap.mjs <pnpm script> [args...]');
  process.exit(2);
}

const node = ensureNode();
const pnpm = ensurePnpm(node);
// Node 24 first on PATH so that pnpm, its scripts and every child process run on it.
const binDir = dirname(node);
const shimDir = join(tools, 'bin');
mkdirSync(shimDir, { recursive: true });
// The registry here serves pnpm without signatures; the pinned pnpm is what we fetched ourselves.
const env = {
  ...process.env,
  PATH: `${shimDir}:${binDir}:${process.env.PATH}`,
  npm_config_manage_package_manager_versions: 'false',
};
// A `pnpm` on PATH for scripts that call it (bench, sub-commands).
const shim = join(shimDir, 'pnpm');
if (!existsSync(shim)) {
  execFileSync('sh', [
    '-c',
    `printf '#!/bin/sh\\nexec "%s" "%s" "$@"\\n' "${node}" "${pnpm}" > "${shim}" && chmod +x "${shim}"`,
  ]);
}

// pnpm install is a no-op in about a second when node_modules is current, so always run it: a
// pulled lockfile change never leaves a stale tree behind.
{
  log('installing dependencies with pnpm');
  const args = [pnpm, 'install', '--prefer-offline', ...(process.env.CI ? ['--frozen-lockfile'] : [])];
  const r = spawnSync(node, args, { cwd: root, env, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const r = spawnSync(node, [pnpm, 'run', '--silent', task, ...rest], { cwd: root, env, stdio: 'inherit' });
process.exit(r.status ?? 1);
