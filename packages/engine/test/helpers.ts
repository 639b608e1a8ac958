import type { QueueInput, SmsRecord } from '@smsc/store';
import type { DeliveryContext, DeliveryResult, Outlet } from '../src/index.ts';

export type FakeClock = { now: () => Date; advance(ms: number): void };

export function fakeClock(start = new Date('2026-01-01T00:00:00Z')): FakeClock {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance(ms) {
      t += ms;
    },
  };
}

export function message(dest: string, overrides: Partial<QueueInput> = {}): QueueInput {
  return {
    payload: {
      source: { ton: 1, npi: 1, addr: '4915100000000' },
      destination: { ton: 1, npi: 1, addr: dest },
      shortMessage: Buffer.from('hello'),
    },
    target: 'test',
    accountId: 'acme',
    ...overrides,
  };
}

export type Script = (message: SmsRecord, call: number) => DeliveryResult;

/** An outlet that answers from a script and remembers every call. */
export function scriptedOutlet(script: Script, name = 'scripted'): Outlet & { calls: SmsRecord[][] } {
  const calls: SmsRecord[][] = [];
  return {
    name,
    targets: ['test'],
    calls,
    async deliver(_destination: string, messages: readonly SmsRecord[], _ctx: DeliveryContext) {
      calls.push([...messages]);
      return messages.map((m) => script(m, calls.length));
    },
  };
}

export async function eventually(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
  stepMs = 20,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
