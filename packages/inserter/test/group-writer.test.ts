import type { QueueInput, QueueManyResult } from '@smsc/store';
import { describe, expect, it } from 'vitest';
import { GroupWriter } from '../src/index.ts';

const input = (n: number) => ({ accountId: `a${n}` }) as unknown as QueueInput;

function recorder() {
  const calls: number[][] = [];
  const releases: (() => void)[] = [];
  const write = (inputs: readonly QueueInput[]) => {
    calls.push(inputs.map((i) => Number(i.accountId.slice(1))));
    return new Promise<QueueManyResult[]>((resolve) => {
      releases.push(() => resolve(inputs.map((i) => ({ ok: true, record: { _id: i.accountId } }) as never)));
    });
  };
  return { calls, releases, write };
}

describe('GroupWriter', () => {
  it('groups what waits behind a running write, in order, and answers each caller with its own results', async () => {
    const r = recorder();
    const writer = new GroupWriter(r.write, { maxConcurrentWrites: 1 });
    const first = writer.submit([input(1)]);
    await Promise.resolve();
    const rest = [writer.submit([input(2)]), writer.submit([input(3), input(4)]), writer.submit([input(5)])];
    await expect.poll(() => r.calls.length).toBe(1);
    r.releases.shift()?.();
    await expect.poll(() => r.calls.length).toBe(2);
    expect(r.calls).toEqual([[1], [2, 3, 4, 5]]);
    r.releases.shift()?.();
    expect((await first).map((x) => (x.ok ? x.record._id : ''))).toEqual(['a1']);
    const answers = await Promise.all(rest);
    expect(answers.map((a) => a.map((x) => (x.ok ? x.record._id : '')))).toEqual([
      ['a2'],
      ['a3', 'a4'],
      ['a5'],
    ]);
    await writer.idle();
  });

  it('caps a group at maxGroup messages', async () => {
    const r = recorder();
    const writer = new GroupWriter(r.write, { maxConcurrentWrites: 1, maxGroup: 2 });
    const all = [1, 2, 3, 4, 5].map((n) => writer.submit([input(n)]));
    for (let i = 0; i < 3; i += 1) {
      await expect.poll(() => r.calls.length).toBe(i + 1);
      r.releases.shift()?.();
    }
    await Promise.all(all);
    expect(r.calls).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('turns a throwing write into failed results instead of a rejection', async () => {
    const writer = new GroupWriter(async () => {
      throw new Error('down');
    });
    const [result] = await writer.submit([input(1)]);
    expect(result?.ok).toBe(false);
  });
});
