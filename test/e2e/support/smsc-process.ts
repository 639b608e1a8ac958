import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The `smsc` entry point, run by the same Node as the tests (type stripping, no build step). */
export const SMSC_MAIN = resolve(import.meta.dirname, '../../../packages/cli/src/main.ts');

export type SmscRole = 'inserter' | 'delivery' | 'cleanup' | 'all';

export type StartSmscOptions = {
  /** Without one, `smsc` runs as `npm start` does: `all`, with the trial config when there is no file. */
  role?: SmscRole;
  /**
   * The JSON config (docs/configuration.md), written to a temporary file. `smpp.port` defaults to 0
   * (a free port, read back from the readiness log line) and `smpp.host` to 127.0.0.1. Without one,
   * no `--config` is given and the child runs in an empty directory (the trial config, or
   * environment only).
   */
  config?: Record<string, unknown>;
  /** The MongoDB to use (e.g. from useTestMongo()); without it only `all` starts (in-memory). */
  mongo?: { uri: string; database?: string };
  /** Extra environment (e.g. `SMSC_LOG_LEVEL: 'debug'`); SMSC_* and MONGODB_URI of the test run are dropped. */
  env?: Record<string, string>;
  /** Label in logs and error messages; default the role. */
  name?: string;
  /** Wait for the `smsc running` log line at most this long. Default 15 s (a loaded 2-core machine). */
  readyTimeoutMs?: number;
};

export type LogEntry = Record<string, unknown> & { msg?: string; level?: number };

export type SmscProcess = {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  /** Where the inserter listens, when the role runs one. */
  readonly smpp: { host: string; port: number } | undefined;
  /** Everything the process wrote so far: stdout and stderr, each line prefixed with the name. */
  logs(): string;
  /** The JSON log lines so far, parsed. */
  entries(): LogEntry[];
  /** Resolves with the first log line (past or future) whose `msg` matches, within the time limit. */
  waitForLog(msg: string | ((entry: LogEntry) => boolean), timeoutMs: number): Promise<LogEntry>;
  /** Exit code (or null after a signal) once the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM, then SIGKILL if it has not exited within `timeoutMs` (default 10 s). Returns the exit code. */
  stop(timeoutMs?: number): Promise<number | null>;
  /** SIGKILL and wait for the exit (a crash: no drain, no unbind). */
  kill(): Promise<void>;
};

const running = new Set<SmscProcess>();

// A worker that dies or exits with processes still running must not leave orphans behind.
process.once('exit', () => {
  for (const p of running)
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
});

/** The test run's environment without anything that would point the child at another config or database. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('SMSC_') && k !== 'MONGODB_URI' && !k.startsWith('VITEST') && k !== 'NODE_OPTIONS')
      env[k] = v;
  return { ...env, ...extra };
}

/**
 * Starts `smsc [role] [--config <tmp>.json]` as a child process and resolves once it logged
 * `smsc running`. Rejects (after killing the child) when it exits or does not get ready in time.
 */
export async function startSmscProcess(options: StartSmscOptions): Promise<SmscProcess> {
  const name = options.name ?? options.role ?? 'smsc';
  const dir = mkdtempSync(join(tmpdir(), `smsc-e2e-${name}-`));
  const args: string[] = options.role ? [options.role] : [];
  if (options.config) {
    const smpp = (options.config.smpp ?? {}) as Record<string, unknown>;
    const config: Record<string, unknown> = {
      ...options.config,
      smpp: { host: '127.0.0.1', port: 0, ...smpp },
    };
    if (options.mongo)
      config.mongodb = {
        uri: options.mongo.uri,
        ...(options.mongo.database !== undefined ? { database: options.mongo.database } : {}),
      };
    // Not ./smsc.config.json: that name is what the trial fallback looks for.
    const configPath = join(dir, 'smsc.json');
    writeFileSync(configPath, JSON.stringify(config, null, 2));
    args.push('--config', configPath);
  }
  const extraEnv: Record<string, string> = { ...options.env };
  if (!options.config && options.mongo) {
    extraEnv.MONGODB_URI = options.mongo.uri;
    if (options.mongo.database !== undefined) extraEnv.SMSC_MONGODB_DATABASE = options.mongo.database;
  }

  const child = spawn(process.execPath, [SMSC_MAIN, ...args], {
    cwd: dir,
    env: childEnv(extraEnv),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const text: string[] = [];
  const entries: LogEntry[] = [];
  const waiters = new Set<{ match: (e: LogEntry) => boolean; resolve: (e: LogEntry) => void }>();
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    partial += chunk.toString();
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      text.push(`[${name}] ${line}\n`);
      if (!line.startsWith('{')) continue;
      let entry: LogEntry;
      try {
        entry = JSON.parse(line) as LogEntry;
      } catch {
        continue;
      }
      entries.push(entry);
      for (const w of waiters) if (w.match(entry)) w.resolve(entry);
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    text.push(`[${name} stderr] ${chunk.toString()}`);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => {
    child.once('exit', (code, signal) => r({ code, signal }));
  });
  void exited.then(() => {
    running.delete(proc);
    rmSync(dir, { recursive: true, force: true });
  });

  const waitForLog = (msg: string | ((e: LogEntry) => boolean), timeoutMs: number): Promise<LogEntry> => {
    const match = typeof msg === 'string' ? (e: LogEntry) => e.msg === msg : msg;
    const seen = entries.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolvePromise, reject) => {
      const waiter = {
        match,
        resolve: (e: LogEntry) => {
          done();
          resolvePromise(e);
        },
      };
      const onExit = () => {
        done();
        reject(new Error(`${name} exited before logging "${String(msg)}":\n${text.join('')}`));
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`${name}: no "${String(msg)}" log line within ${timeoutMs} ms:\n${text.join('')}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(waiter);
        child.off('exit', onExit);
      };
      waiters.add(waiter);
      child.once('exit', onExit);
    });
  };

  const waitExit = async (timeoutMs: number): Promise<boolean> => {
    if (child.exitCode !== null || child.signalCode !== null) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((r) => {
      timer = setTimeout(() => r(false), timeoutMs);
    });
    const result = await Promise.race([exited.then(() => true as const), timeout]);
    clearTimeout(timer);
    return result;
  };

  let smppAddress: { host: string; port: number } | undefined;
  const proc: SmscProcess = {
    name,
    child,
    pid: child.pid ?? -1,
    get smpp() {
      return smppAddress;
    },
    logs: () => text.join('') + (partial ? `[${name}] ${partial}\n` : ''),
    entries: () => [...entries],
    waitForLog,
    exited,
    async stop(timeoutMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      if (!(await waitExit(timeoutMs))) {
        child.kill('SIGKILL');
        await waitExit(5000);
      }
      return child.exitCode;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await waitExit(5000);
    },
  };
  running.add(proc);

  try {
    const ready = await waitForLog('smsc running', options.readyTimeoutMs ?? 15_000);
    smppAddress = (ready.smpp as { host: string; port: number } | undefined) ?? undefined;
  } catch (error) {
    await proc.kill();
    throw error;
  }
  return proc;
}

/** SIGKILLs every process this module started that is still running (for afterAll/afterEach). */
export async function killAllSmscProcesses(): Promise<void> {
  await Promise.all([...running].map((p) => p.kill()));
}
