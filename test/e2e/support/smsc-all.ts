import { afterAll, beforeAll } from 'vitest';
import type { NsEsme } from './node-smpp.ts';
import { ACCOUNTS, ROUTES } from './scenario.ts';
import { killAllSmscProcesses, type SmscProcess, startSmscProcess } from './smsc-process.ts';

export type SmscAll = {
  /** Set once beforeAll has run. */
  smsc: SmscProcess;
  /** node-smpp sessions the suite opened: closed in afterAll, before the process is stopped. */
  esmes: NsEsme[];
};

/**
 * One `smsc all` child process (its own in-memory MongoDB) for the suite, with the scenario's
 * accounts and routes and no enquire_link noise, stopped after the suite with every session it used.
 */
export function useSmscAll(): SmscAll {
  const all = { esmes: [] } as unknown as SmscAll;
  beforeAll(async () => {
    all.smsc = await startSmscProcess({
      role: 'all',
      config: {
        smpp: { enquireLinkIntervalMs: 0 },
        accounts: ACCOUNTS,
        routes: ROUTES,
        shutdown: { drainMs: 1000 },
      },
    });
  }, 30_000);
  afterAll(async () => {
    await Promise.all(all.esmes.map((e) => e.close()));
    await killAllSmscProcesses();
  });
  return all;
}
