import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { connectSmpp, type PduOf, type SmppSession } from '@smsc/smpp';

export const MAIN = resolve(import.meta.dirname, '../src/main.ts');

/** The child's environment without anything that would point it at another config or database. */
export function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env))
    if (!k.startsWith('SMSC_') && k !== 'MONGODB_URI') env[k] = v;
  return env;
}

export type SmscChild = ChildProcess & { readonly output: string[] };

/**
 * Starts `smsc` as a child process. Its stdout is read all along into `output` (the last 500
 * chunks): stdout to a pipe is synchronous on Linux, so an unread pipe would block the child.
 */
export function smsc(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SmscChild {
  const child = spawn(process.execPath, [MAIN, ...args], {
    cwd,
    env: { ...cleanEnv(), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 500) output.shift();
  });
  return Object.assign(child, { output });
}

export async function exitOf(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const [code] = (await once(child, 'exit', { signal: AbortSignal.timeout(timeoutMs) })) as [number | null];
  return code;
}

/**
 * Resolves with the first JSON log line that has `msg`, within the time limit. Reads with a 'data'
 * listener it removes afterwards (not readline, whose close() would pause the child's stdout).
 */
export function logLine(
  child: ChildProcess,
  msg: string,
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  return new Promise((resolvePromise, reject) => {
    let buffered = '';
    const stop = () => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`no "${msg}" log line within ${timeoutMs} ms`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as Record<string, unknown>;
        if (entry.msg !== msg) continue;
        stop();
        resolvePromise(entry);
        return;
      }
    };
    child.stdout!.on('data', onData);
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
