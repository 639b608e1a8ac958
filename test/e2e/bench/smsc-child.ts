// `smsc <role>` as a child process, ready once it logs "smsc running". Its stdout/stderr are kept
// (bounded) for a failure message. A stop-gap until test/e2e/support/smsc-process.ts exists.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

export const SMSC_MAIN = resolve(import.meta.dirname, '../../../packages/cli/src/main.ts');

export type SmscChild = {
  readonly pid: number;
  /** The inserter's SMPP port (0 for roles without one). */
  readonly port: number;
  readonly alive: boolean;
  readonly process: ChildProcess;
  kill(signal: NodeJS.Signals): void;
  /** Resolves with the exit code (null after a signal); SIGKILLs the child after `timeoutMs`. */
  exited(timeoutMs: number): Promise<number | null>;
  /** The last lines it wrote, for a failure message. */
  output(): string;
};

export type SmscChildOptions = {
  env?: NodeJS.ProcessEnv;
  nodeArgs?: string[];
  readyTimeoutMs?: number;
};

/** The parent's environment without anything that would point the child at another config or database. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('SMSC_') && k !== 'MONGODB_URI' && !k.startsWith('VITEST')) env[k] = v;
  return env;
}

export async function startSmscChild(
  role: string,
  configPath: string,
  cwd: string,
  options: SmscChildOptions = {},
): Promise<SmscChild> {
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), SMSC_MAIN, role, '--config', configPath],
    {
      cwd,
      env: { ...cleanEnv(), SMSC_LOG_LEVEL: 'info', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const tail: string[] = [];
  const keep = (line: string) => {
    tail.push(line);
    if (tail.length > 50) tail.shift();
  };
  createInterface({ input: child.stderr! }).on('line', keep);
  const ready = new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`smsc ${role} not ready in time:\n${tail.join('\n')}`)),
      options.readyTimeoutMs ?? 20_000,
    );
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`smsc ${role} exited (${code ?? signal}) before it was ready:\n${tail.join('\n')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      keep(line);
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as { msg?: string; smpp?: { port: number } };
      if (entry.msg !== 'smsc running') return;
      clearTimeout(timer);
      resolvePort(entry.smpp?.port ?? 0);
    });
  });
  let port: number;
  try {
    port = await ready;
  } catch (error) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    throw error;
  }
  const alive = () => child.exitCode === null && child.signalCode === null && !child.killed;
  return {
    pid: child.pid ?? 0,
    port,
    process: child,
    get alive() {
      return alive();
    },
    kill(signal) {
      child.kill(signal);
    },
    async exited(timeoutMs) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      try {
        const [code] = (await once(child, 'exit')) as [number | null];
        return code;
      } finally {
        clearTimeout(timer);
      }
    },
    output: () => tail.join('\n'),
  };
}
