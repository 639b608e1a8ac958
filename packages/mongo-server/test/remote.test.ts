import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { type RemoteServer, startMongoServerProcess, startMongoServerThread } from '../src/index.ts';

describe.each([
  ['a thread', startMongoServerThread],
  ['a child process', startMongoServerProcess],
] as const)('the server on %s of its own', (_host, start) => {
  it('serves the driver, counts the commands it runs, reports its loop, and stops with close()', async () => {
    const server: RemoteServer = await start({ replicaSet: 'rs1' });
    expect(server.replicaSet).toBe('rs1');
    expect(server.uri).toBe(`mongodb://127.0.0.1:${server.port}/?replicaSet=rs1`);
    const client = new MongoClient(server.uri);
    try {
      const coll = client.db('remote').collection<{ _id: string; n: number }>('things');
      const before = await server.commandCounts();
      await coll.insertMany([
        { _id: 'a', n: 1 },
        { _id: 'b', n: 2 },
      ]);
      expect(await coll.find({ n: { $gt: 1 } }).toArray()).toEqual([{ _id: 'b', n: 2 }]);
      const after = await server.commandCounts();
      expect((after.get('insert') ?? 0) - (before.get('insert') ?? 0)).toBe(1);
      expect((after.get('find') ?? 0) - (before.get('find') ?? 0)).toBe(1);
      const { utilization, maxDelayMs } = await server.loopStats();
      expect(utilization.active).toBeGreaterThan(0);
      expect(utilization.utilization).toBeGreaterThan(0);
      expect(utilization.utilization).toBeLessThanOrEqual(1);
      expect(maxDelayMs).toBeGreaterThanOrEqual(0);
    } finally {
      await client.close();
    }
    await server.close();
    await server.close();
    // Nothing listens any more.
    const late = new MongoClient(server.uri, { serverSelectionTimeoutMS: 300 });
    await expect(late.connect()).rejects.toThrow();
    await late.close();
  });

  it('reports a port it cannot listen on instead of hanging', async () => {
    const first = await start();
    try {
      await expect(start({ port: first.port })).rejects.toThrow();
    } finally {
      await first.close();
    }
  });
});

describe('the server in a child process', () => {
  it('names the process, whose exit ends the server', async () => {
    const server = await startMongoServerProcess();
    expect(server.pid).toBeGreaterThan(0);
    process.kill(server.pid!, 'SIGKILL');
    await expect(server.commandCounts()).rejects.toThrow(/the in-memory MongoDB process (exited|failed)/);
    await server.close();
  });

  // Linux only: the command line is read from /proc.
  it.runIf(process.platform === 'linux')('runs with --no-compact unless told otherwise', async () => {
    const argsOf = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const byDefault = await startMongoServerProcess();
    const plain = await startMongoServerProcess({ v8Flags: [] });
    try {
      expect(argsOf(byDefault.pid!)).toContain('--no-compact');
      expect(argsOf(plain.pid!)).not.toContain('--no-compact');
      // Still a working server.
      expect((await byDefault.commandCounts()) instanceof Map).toBe(true);
    } finally {
      await byDefault.close();
      await plain.close();
    }
  });

  // Linux only: thread names and priorities are read from /proc (CI and this machine are Linux);
  // elsewhere lowerWorkerThreadPriority does nothing, so there is nothing to check.
  it.runIf(process.platform === 'linux')(
    "lowers its V8 worker threads' priority (garbage collection) and leaves its main thread's",
    async () => {
      const niceOf = (pid: number, name: string) =>
        readdirSync(`/proc/${pid}/task`)
          .filter((tid) => readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim() === name)
          .map((tid) => getPriority(Number(tid)));
      const lowered = await startMongoServerProcess();
      const left = await startMongoServerProcess({ gcThreadNice: 0 });
      try {
        expect(niceOf(lowered.pid!, 'V8Worker').length).toBeGreaterThan(0);
        expect(new Set(niceOf(lowered.pid!, 'V8Worker'))).toEqual(new Set([10]));
        expect(getPriority(lowered.pid!)).toBe(getPriority(process.pid));
        expect(new Set(niceOf(left.pid!, 'V8Worker'))).toEqual(new Set([getPriority(process.pid)]));
      } finally {
        await lowered.close();
        await left.close();
      }
    },
  );
});
