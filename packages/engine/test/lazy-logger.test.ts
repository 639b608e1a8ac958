import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { lazyChild } from '../src/lazy-logger.ts';

function capture(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

describe('lazyChild', () => {
  it('writes with the bindings, its own child included, as pino children do', () => {
    const { logger, lines } = capture('debug');
    const log = lazyChild(logger, () => ({ destMsisdn: '4670', messageIds: ['a', 'b'] }));
    log.info({ messageId: 'a' }, 'sent');
    log.child({ sessionId: 's1' }).debug('batch delivered');
    expect(
      lines.map(({ msg, destMsisdn, messageIds, messageId, sessionId }) => ({
        msg,
        destMsisdn,
        messageIds,
        messageId,
        sessionId,
      })),
    ).toEqual([
      { msg: 'sent', destMsisdn: '4670', messageIds: ['a', 'b'], messageId: 'a', sessionId: undefined },
      {
        msg: 'batch delivered',
        destMsisdn: '4670',
        messageIds: ['a', 'b'],
        messageId: undefined,
        sessionId: 's1',
      },
    ]);
    expect(log.isLevelEnabled('debug')).toBe(true);
  });

  it('makes no child for calls at disabled levels, nor for a child never written to', () => {
    const { logger, lines } = capture('info');
    const bindings = vi.fn(() => ({ destMsisdn: '4670' }));
    const log = lazyChild(logger, bindings);
    log.debug({ messageId: 'a' }, 'delivering');
    log.child({ sessionId: 's1' }).debug('batch delivered');
    expect(bindings).not.toHaveBeenCalled();
    log.child({ sessionId: 's1' }).warn('deliver_sm failed');
    expect(bindings).toHaveBeenCalledTimes(1);
    expect(lines).toMatchObject([{ msg: 'deliver_sm failed', destMsisdn: '4670', sessionId: 's1' }]);
  });
});
