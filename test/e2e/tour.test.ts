import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import { freePort } from './support/ports.ts';
import { waitUntil } from './support/scenario.ts';
import { killAllSmscProcesses, startSmscProcess } from './support/smsc-process.ts';

const EXAMPLES = resolve(import.meta.dirname, '../../examples');

/** `node examples/<name>.ts args` with its stdout collected. */
function example(name: string, args: string[], port: number) {
  const child: ChildProcess = spawn(process.execPath, [resolve(EXAMPLES, `${name}.ts`), ...args], {
    env: { ...process.env, SMSC_HOST: '127.0.0.1', SMSC_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  child.stderr!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

// The README's five-minute tour, as written: `smsc` with no role and no config file (the trial
// config `npm start` runs), `npm run sink` and `npm run send -- 46701234567 "Hello from smsc"`. Only
// the port differs (SMSC_SMPP_PORT / SMSC_PORT), so the test does not need 2775 free.
describe('the README tour', () => {
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await killAllSmscProcesses();
  });

  it('delivers "Hello from smsc" to the sink and shows its DELIVRD receipt to the sender, on the trial config', async () => {
    const port = await freePort();
    const smsc = await startSmscProcess({ env: { SMSC_SMPP_PORT: String(port) } });
    expect(smsc.smpp?.port).toBe(port);
    // The trial config is printed for the user before the JSON logs.
    expect(smsc.logs()).toContain('running the built-in trial config');

    const sink = example('sink', [], port);
    children.push(sink.child);
    onTestFailed(() => console.error(`${smsc.logs()}\n--- sink\n${sink.output()}`));
    await waitUntil(
      () => sink.output().includes('bound as sink'),
      10_000,
      () => 'the sink did not bind',
    );
    const send = example('send', ['46701234567', 'Hello from smsc'], port);
    children.push(send.child);
    onTestFailed(() => console.error(`--- send\n${send.output()}`));
    expect(await send.exited).toBe(0);
    const id = /submitted, message_id (\S+)/.exec(send.output())?.[1];
    expect(id).toBeDefined();
    expect(send.output()).toContain(`receipt for ${id}: DELIVRD`);
    await waitUntil(
      () => sink.output().includes('message from acme to 46701234567: Hello from smsc'),
      5000,
      () => `the sink printed: ${sink.output()}`,
    );

    sink.child.kill('SIGINT');
    expect(await sink.exited).toBe(0);
    expect(await smsc.stop()).toBe(0);
  });
});
