import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import type { NsEsme } from './support/node-smpp.ts';
import { runNodeSmppScenario } from './support/node-smpp-scenario.ts';
import { ACCOUNTS, ROUTES } from './support/scenario.ts';
import { killAllSmscProcesses, startSmscProcess } from './support/smsc-process.ts';

// `smsc all` as one OS process with its own in-memory MongoDB (no URI: the first-run path), driven
// only by node-smpp, an SMPP implementation nobody on this project wrote.
describe('smsc all driven by node-smpp', () => {
  const esmes: NsEsme[] = [];
  afterAll(async () => {
    await Promise.all(esmes.map((e) => e.close()));
    await killAllSmscProcesses();
  });

  it('delivers GSM, UCS2 and a 3-segment message intact and in order to the sink, and one DELIVRD receipt per part with the submit ids to acme', async () => {
    const smsc = await startSmscProcess({
      role: 'all',
      config: {
        smpp: { enquireLinkIntervalMs: 0 },
        accounts: ACCOUNTS,
        routes: ROUTES,
        shutdown: { drainMs: 2000 },
      },
    });
    onTestFailed(() => console.error(smsc.logs()));
    const port = smsc.smpp!.port;

    await runNodeSmppScenario({ acmePort: port, sinkPort: port, reference: 0x2a, esmes });
    expect(await smsc.stop()).toBe(0);
  }, 40_000);
});
