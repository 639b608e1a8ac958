import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { type Received, receivedFromRaw } from './scenario.ts';

/** The Perl peer script (see its header for the JSON-lines protocol). */
export const NET_SMPP_SCRIPT = resolve(import.meta.dirname, '../peers/net-smpp.pl');

/**
 * Perl's Net::SMPP comes from `apt-get install -y libnet-smpp-perl` (`.ci/run` installs it);
 * a developer machine may lack it, and then the suites that need it are skipped.
 */
export const netSmppInstalled = spawnSync('perl', ['-MNet::SMPP', '-MJSON::PP', '-e', '1']).status === 0;

export type NetSmppEvent = Record<string, unknown> & { event: string };

export type NetSmppRun = {
  child: ChildProcess;
  /** Every JSON line the script printed so far. */
  events: NetSmppEvent[];
  /** Resolves with the first event named `event` (past or future), rejects on exit or after `timeoutMs`. */
  waitFor(event: string, timeoutMs: number): Promise<NetSmppEvent>;
  /** Resolves with the exit code; SIGKILLs the script after `timeoutMs`. */
  exit(timeoutMs: number): Promise<number | null>;
  output(): string;
  kill(): void;
};

/** Runs `net-smpp.pl <args>` with `input` lines on stdin (stdin is closed after them). */
export function runNetSmpp(args: string[], input: string[] = []): NetSmppRun {
  const child = spawn('perl', [NET_SMPP_SCRIPT, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const events: NetSmppEvent[] = [];
  const listeners = new Set<() => void>();
  let text = '';
  let partial = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    partial += chunk.toString();
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('{')) events.push(JSON.parse(line) as NetSmppEvent);
    for (const l of listeners) l();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    text += `[stderr] ${chunk.toString()}`;
  });
  child.stdin!.on('error', () => {});
  child.stdin!.end(input.map((l) => `${l}\n`).join(''));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    events,
    output: () => text,
    kill() {
      if (running()) child.kill('SIGKILL');
    },
    waitFor(event, timeoutMs) {
      return new Promise((resolvePromise, reject) => {
        const check = () => {
          const found = events.find((e) => e.event === event);
          if (found) {
            done();
            resolvePromise(found);
          } else if (!running()) {
            done();
            reject(new Error(`net-smpp.pl exited without "${event}":\n${text}`));
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`net-smpp.pl: no "${event}" within ${timeoutMs} ms:\n${text}`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('exit', check);
        };
        listeners.add(check);
        child.on('exit', check);
        check();
      });
    },
    async exit(timeoutMs) {
      let timer: NodeJS.Timeout | undefined;
      const killed = new Promise<void>((r) => {
        timer = setTimeout(() => {
          if (running()) child.kill('SIGKILL');
          r();
        }, timeoutMs);
      });
      await Promise.race([exited, killed]);
      clearTimeout(timer);
      return exited;
    },
  };
}

/** A deliver_sm line of net-smpp.pl, decoded like node-smpp would. */
export function receivedFromNetSmpp(e: NetSmppEvent): Received {
  return receivedFromRaw({
    from: String(e.from),
    to: String(e.to),
    esmClass: Number(e.esmClass),
    dataCoding: Number(e.dataCoding),
    shortMessage: Buffer.from(String(e.hex), 'hex'),
    receiptedMessageId: e.receiptedMessageId as string | null,
    messageState: e.messageState as number | null,
  });
}
