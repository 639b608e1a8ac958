import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Kannel is installed by `.ci/run` (`apt-get install -y kannel`); a developer machine may lack it,
 * and then the suites that need it are skipped.
 */
export const kannelInstalled = existsSync('/usr/sbin/bearerbox') && existsSync('/usr/sbin/smsbox');

export type KannelOptions = {
  /** The SMSC under test, which bearerbox binds to as an ESME (transceiver). */
  smscHost: string;
  smscPort: number;
  /** SMPP system_id and password: at most 15 and 8 octets (SMPP 3.4 §4.1.1). */
  systemId: string;
  password: string;
  /** Free local ports for Kannel's own listeners (it cannot listen on port 0 and tell us). */
  adminPort: number;
  boxPort: number;
  sendsmsPort: number;
  /**
   * Where smsbox passes mobile-originated messages (the deliver_sm the SMSC sends Kannel), as a
   * get-url with Kannel escapes (%p sender, %P receiver, %a text); the response body is sent back
   * to the sender as the reply. Without it, every MO gets the fixed reply "ok".
   */
  moUrl?: string;
};

export type Kannel = {
  /**
   * Sends one message through smsbox's HTTP sendsms interface; with `dlrUrl`, asks for every
   * report type (dlr-mask 31: delivered, failed, buffered, SMSC ack, SMSC reject) at that URL,
   * where Kannel expands its escapes (%d the type, %F the SMSC's message id, %A the reply).
   */
  sendSms(input: {
    from: string;
    to: string;
    text: string;
    dlrUrl?: string;
    /** Kannel's `coding`: 0 GSM 7-bit (default), 2 UCS2 (the text is sent as UTF-8 and converted). */
    coding?: 0 | 2;
  }): Promise<{ status: number; body: string }>;
  /** Resolves once bearerbox reports the SMPP link to the SMSC online (it bound). */
  waitOnline(timeoutMs: number): Promise<void>;
  /** Console output of both boxes and their log files. */
  logs(): string;
  /** SIGTERM (smsbox, then bearerbox, which unbinds), SIGKILL after 3 s; removes the temp dir. */
  stop(): Promise<void>;
};

const ADMIN_PASSWORD = 'e2e';
const SENDSMS_USER = 'e2e';
const SENDSMS_PASSWORD = 'e2e-pw';

/** bearerbox binds to our SMSC as a transceiver; smsbox offers HTTP sendsms and calls dlr-urls. */
export function kannelConfig(o: KannelOptions, dir: string): string {
  // No msg-id-type: Kannel then keeps message ids as opaque strings (ours are base36), rather than
  // converting decimal/hex numbers, which would break matching receipts to submits.
  return `group = core
admin-port = ${o.adminPort}
admin-interface = 127.0.0.1
admin-password = ${ADMIN_PASSWORD}
admin-allow-ip = "127.0.0.1"
smsbox-port = ${o.boxPort}
smsbox-interface = 127.0.0.1
box-allow-ip = "127.0.0.1"
log-file = "${join(dir, 'bearerbox.log')}"
log-level = 0
dlr-storage = internal

group = smsc
smsc = smpp
smsc-id = under-test
host = ${o.smscHost}
port = ${o.smscPort}
transceiver-mode = true
smsc-username = "${o.systemId}"
smsc-password = "${o.password}"
system-type = ""
enquire-link-interval = 30
reconnect-delay = 1
max-pending-submits = 10

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = ${o.boxPort}
sendsms-port = ${o.sendsmsPort}
sendsms-interface = "127.0.0.1"
log-file = "${join(dir, 'smsbox.log')}"
log-level = 0

group = sendsms-user
username = ${SENDSMS_USER}
password = ${SENDSMS_PASSWORD}
max-messages = 10
concatenation = true

group = sms-service
keyword = default
${o.moUrl ? `get-url = "${o.moUrl}"\nmax-messages = 1` : 'text = "ok"\nmax-messages = 0'}
catch-all = true
`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const running = new Set<ChildProcess>();
// A worker that exits with Kannel still running must not leave it behind.
process.once('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts bearerbox, waits for its box port, starts smsbox, waits for sendsms; bounded by `timeoutMs`. */
export async function startKannel(o: KannelOptions, timeoutMs = 15_000): Promise<Kannel> {
  const dir = mkdtempSync(join(tmpdir(), 'smsc-kannel-'));
  const conf = join(dir, 'kannel.conf');
  writeFileSync(conf, kannelConfig(o, dir));
  let output = '';
  const children: ChildProcess[] = [];
  const start = (bin: string) => {
    // -v 1: info and above on the console; the log files keep the debug level.
    const child = spawn(bin, ['-v', '1', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    const name = bin.split('/').pop();
    child.stdout?.on('data', (d: Buffer) => {
      output += `[${name}] ${d}`;
    });
    child.stderr?.on('data', (d: Buffer) => {
      output += `[${name}] ${d}`;
    });
    child.once('exit', () => running.delete(child));
    running.add(child);
    children.push(child);
    return child;
  };
  const logs = () => {
    let text = output;
    for (const file of ['bearerbox.log', 'smsbox.log']) {
      const path = join(dir, file);
      if (existsSync(path)) text += `\n--- ${file}\n${readFileSync(path, 'utf8')}`;
    }
    return text;
  };
  const alive = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;
  const stop = async () => {
    for (const c of [...children].reverse()) {
      if (!alive(c)) continue;
      c.kill('SIGTERM');
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          c.kill('SIGKILL');
          resolve();
        }, 3000);
        c.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const until = async (what: string, box: ChildProcess, ready: () => Promise<boolean>) => {
    const end = Date.now() + timeoutMs;
    while (!(await ready())) {
      if (!alive(box)) throw new Error(`Kannel: ${what}: the box exited\n${logs()}`);
      if (Date.now() > end) throw new Error(`Kannel: ${what} not within ${timeoutMs} ms\n${logs()}`);
      await sleep(100);
    }
  };

  try {
    const bearerbox = start('/usr/sbin/bearerbox');
    await until('bearerbox listening', bearerbox, () => tcpOpen(o.boxPort));
    const smsbox = start('/usr/sbin/smsbox');
    // smsbox opens sendsms only after it connected to bearerbox.
    await until('smsbox sendsms listening', smsbox, () => tcpOpen(o.sendsmsPort));
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    async sendSms({ from, to, text, dlrUrl, coding }) {
      const q = new URLSearchParams({ username: SENDSMS_USER, password: SENDSMS_PASSWORD, from, to, text });
      if (coding !== undefined) {
        q.set('coding', String(coding));
        q.set('charset', 'UTF-8');
      }
      if (dlrUrl) {
        q.set('dlr-mask', '31');
        q.set('dlr-url', dlrUrl);
      }
      const res = await fetch(`http://127.0.0.1:${o.sendsmsPort}/cgi-bin/sendsms?${q}`, {
        signal: AbortSignal.timeout(5000),
      });
      return { status: res.status, body: await res.text() };
    },
    async waitOnline(ms) {
      const end = Date.now() + ms;
      for (;;) {
        const status = await fetch(`http://127.0.0.1:${o.adminPort}/status.txt?password=${ADMIN_PASSWORD}`, {
          signal: AbortSignal.timeout(2000),
        })
          .then((r) => r.text())
          .catch(() => '');
        // e.g. "under-test[under-test] SMPP:127.0.0.1:2775/2775:kannel:  (online 2s, rcvd: ...)"
        if (/under-test.*\(online /.test(status)) return;
        if (Date.now() > end)
          throw new Error(`Kannel: SMPP link not online within ${ms} ms:\n${status}\n${logs()}`);
        await sleep(100);
      }
    },
    logs,
    stop,
  };
}
