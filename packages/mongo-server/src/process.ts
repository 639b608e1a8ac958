// The in-memory server in a child process, as a real mongod would run: its own V8 heap and garbage
// collector. A benchmark that shares its process with the server's thread sees that thread's
// major collections stall it (160-190 ms at half load in bench:e2e); in a process of its own they
// do not.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { type RemoteServer, type RemoteServerOptions, remoteHandle } from './remote.ts';

export type ProcessServerOptions = RemoteServerOptions & {
  /**
   * Niceness of the child's V8 worker threads, which run most of its garbage collection (Linux;
   * see lowerWorkerThreadPriority). Default 10; 0 leaves them as they are.
   */
  gcThreadNice?: number;
  /**
   * V8 flags of the child. Default `['--no-compact']`: a major garbage collection of a heap of
   * hundreds of MB of stored documents then marks and sweeps without moving objects, whose pause
   * stalled the server for 130-200 ms in some bench:e2e runs; the cost is fragmentation, which a
   * test server's lifetime does not feel. `[]` runs with V8's defaults.
   */
  v8Flags?: readonly string[];
};

const DEFAULT_V8_FLAGS = ['--no-compact'];

/** Starts the server in a child process (IPC for the handle's requests); resolves once it listens. */
export function startMongoServerProcess(options: ProcessServerOptions = {}): Promise<RemoteServer> {
  const { v8Flags = DEFAULT_V8_FLAGS, ...childOptions } = options;
  const child = fork(
    fileURLToPath(new URL('./process-entry.ts', import.meta.url)),
    [JSON.stringify(childOptions)],
    {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [...process.execArgv, ...v8Flags],
    },
  );
  const failed = new Promise<never>((_, reject) => {
    // A write to a process that just died fails (EPIPE) before its exit is reported: the same news.
    child.once('error', (error) =>
      reject(new Error(`the in-memory MongoDB process failed (${error.message})`, { cause: error })),
    );
    child.once('exit', (code, signal) =>
      reject(new Error(`the in-memory MongoDB process exited (${code ?? signal})`)),
    );
  });
  failed.catch(() => undefined);
  const end = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.disconnect();
    await exited;
  };
  return remoteHandle(
    { send: (m) => child.send(m as object), onMessage: (l) => child.on('message', l) },
    failed,
    end,
    child.pid,
  );
}
