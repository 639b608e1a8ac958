import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { connectSmpp, type PduOf, type SmppSession } from '@smsc/smpp';

export const MAIN = resolve(import.meta.dirname, '../src/main.ts');

/** The child's environment without anything that would point it at another config or database. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('SMSC_') && k !== 'MONGODB_URI') env[k] = v;
  return env;
}

export function smsc(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, [MAIN, ...args], {
    cwd,
    env: { ...cleanEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export async function exitOf(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit', { signal: AbortSignal.timeout(timeoutMs) })) as [number | null];
  return code;
}

/** Resolves with the first JSON log line that has `msg`, within the time limit. */
export function logLine(
  child: ChildProcess,
  msg: string,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  return new Promise((resolvePromise, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const timer = setTimeout(() => {
      lines.close();
      reject(new Error(`no "${msg}" log line within ${timeoutMs} ms`));
    }, timeoutMs);
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (entry.msg !== msg) return;
      clearTimeout(timer);
      lines.close();
      resolvePromise(entry);
    });
  });
}

export async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** An ESME session bound to `port` that answers every deliver_sm with ESME_ROK and keeps them. */
export async function boundEsme(
  port: number,
  systemId: string,
  password: string,
  command: 'bind_receiver' | 'bind_transceiver',
): Promise<{ s: SmppSession; got: PduOf<'deliver_sm'>[] }> {
  const s = await connectSmpp({
    host: '127.0.0.1',
    port,
    enquireLinkIntervalMs: 0,
    bind: { command, systemId, password },
  });
  const got: PduOf<'deliver_sm'>[] = [];
  s.on('pdu', (pdu) => {
    if (pdu.command !== 'deliver_sm') return;
    got.push(pdu);
    s.respond(pdu, {});
  });
  return { s, got };
}
