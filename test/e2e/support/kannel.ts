import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Kannel is installed by `.ci/run` (`apt-get install -y kannel`); developers may not have it. */
export const kannelInstalled = existsSync('/usr/sbin/bearerbox') && existsSync('/usr/sbin/smsbox');

export type KannelOptions = {
  /** The SMSC under test, which Kannel binds to as an ESME. */
  smscHost: string;
  smscPort: number;
  systemId: string;
  password: string;
  /** Free local ports for Kannel's own listeners. */
  adminPort: number;
  boxPort: number;
  sendsmsPort: number;
};

export type Kannel = {
  /** Sends one message through smsbox's HTTP sendsms interface, asking for receipts at `dlrUrl`. */
  sendSms(input: { from: string; to: string; text: string; dlrUrl?: string }): Promise<string>;
  logs(): string;
  stop(): Promise<void>;
};

/** bearerbox binds to our SMSC as a transceiver; smsbox offers HTTP sendsms and posts receipts. */
export function kannelConfig(o: KannelOptions, dir: string): string {
  return `group = core
admin-port = ${o.adminPort}
admin-password = e2e
admin-allow-ip = "127.0.0.1"
smsbox-port = ${o.boxPort}
box-allow-ip = "127.0.0.1"
log-file = "${join(dir, 'bearerbox.log')}"
log-level = 1
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
msg-id-type = 0x00
max-pending-submits = 10

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = ${o.boxPort}
sendsms-port = ${o.sendsmsPort}
sendsms-interface = "127.0.0.1"
log-file = "${join(dir, 'smsbox.log')}"
log-level = 1

group = sendsms-user
username = e2e
password = e2e-pw
max-messages = 10
concatenation = true

group = sms-service
keyword = default
text = "ok"
catch-all = true
max-messages = 0
`;
}

export async function startKannel(o: KannelOptions): Promise<Kannel> {
  const dir = mkdtempSync(join(tmpdir(), 'smsc-kannel-'));
  const conf = join(dir, 'kannel.conf');
  writeFileSync(conf, kannelConfig(o, dir));
  let output = '';
  const children: ChildProcess[] = [];
  const start = (bin: string) => {
    const child = spawn(bin, [conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (d) => {
      output += d;
    });
    child.stderr?.on('data', (d) => {
      output += d;
    });
    children.push(child);
  };
  start('/usr/sbin/bearerbox');
  await new Promise((r) => setTimeout(r, 500));
  start('/usr/sbin/smsbox');
  const base = `http://127.0.0.1:${o.sendsmsPort}/cgi-bin/sendsms`;
  // smsbox answers HTTP only after it connected to bearerbox; wait for it, bounded.
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`http://127.0.0.1:${o.sendsmsPort}/`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    async sendSms({ from, to, text, dlrUrl }) {
      const q = new URLSearchParams({ username: 'e2e', password: 'e2e-pw', from, to, text });
      if (dlrUrl) {
        q.set('dlr-mask', '31');
        q.set('dlr-url', dlrUrl);
      }
      const res = await fetch(`${base}?${q}`);
      return `${res.status} ${await res.text()}`;
    },
    logs: () => output,
    async stop() {
      for (const c of children.reverse()) {
        if (c.exitCode === null) {
          c.kill('SIGTERM');
          await new Promise((r) => {
            const t = setTimeout(() => {
              c.kill('SIGKILL');
              r(undefined);
            }, 3000);
            c.once('exit', () => {
              clearTimeout(t);
              r(undefined);
            });
          });
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
