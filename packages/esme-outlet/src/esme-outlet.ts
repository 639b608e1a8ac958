import type { DeliveryContext, DeliveryResult, Outlet, RetryPolicy } from '@smsc/engine';
import type { SessionRegistry } from '@smsc/inserter';
import { mayIssue, type SmppSession } from '@smsc/smpp';
import type { SmsRecord } from '@smsc/store';
import { toDeliverSm } from './deliver-sm.ts';
import { resultForError, resultForStatus, resultForUnsent } from './results.ts';
import { esmeTarget } from './targets.ts';

export type EsmeOutletOptions = {
  accountId: string;
  registry: Pick<SessionRegistry, 'receivers'>;
  /** Wait for each deliver_sm_resp. Default: the session's own response timeout (60 s). */
  responseTimeoutMs?: number;
  /**
   * When the account has no usable receiving bind at the moment of delivery (none, or the chosen one
   * started unbinding before the message was written), try again after this, without counting an
   * attempt. Default 1000 ms.
   */
  noReceiverRetryMs?: number;
  /**
   * The worker's retry policy. Given, a temporary failure gets its retry delay here and the messages
   * held behind it wait exactly as long, without counting an attempt, so they cannot become due
   * before it and overtake it. Without it they are `temporary` too and each gets its own (jittered)
   * delay.
   */
  retryPolicy?: RetryPolicy;
};

/** The least busy session: fewest requests outstanding and queued; the oldest bind on a tie. */
function pickSession(sessions: readonly SmppSession[]): SmppSession | undefined {
  let best: SmppSession | undefined;
  let load = Number.POSITIVE_INFINITY;
  for (const s of sessions) {
    const o = s.outstanding;
    const l = o.requests + o.queued;
    if (l < load) {
      best = s;
      load = l;
    }
  }
  return best;
}

/**
 * Delivers one account's messages (and the receipts it is owed) to its receiving binds on this
 * process. A batch goes over one session, one deliver_sm at a time, so the ESME sees them in order;
 * the first one not delivered stops the batch (a final refusal does not: nothing waits behind it).
 * A batch of receipts only is sent all at once (within the session window): receipts have no order.
 */
export class EsmeOutlet implements Outlet {
  readonly name: string;
  readonly targets: readonly string[];
  readonly accountId: string;
  readonly #registry: Pick<SessionRegistry, 'receivers'>;
  readonly #timeoutMs: number | undefined;
  readonly #noReceiverRetryMs: number;
  readonly #policy: RetryPolicy | undefined;

  constructor(options: EsmeOutletOptions) {
    this.accountId = options.accountId;
    this.name = esmeTarget(options.accountId);
    this.targets = [this.name];
    this.#registry = options.registry;
    this.#timeoutMs = options.responseTimeoutMs;
    this.#noReceiverRetryMs = options.noReceiverRetryMs ?? 1000;
    this.#policy = options.retryPolicy;
  }

  async deliver(
    destination: string,
    messages: readonly SmsRecord[],
    context: DeliveryContext,
  ): Promise<DeliveryResult[]> {
    const session = pickSession(this.#registry.receivers(this.accountId));
    if (!session) {
      // The last receiver left between the claim and now: not an attempt, the message just waits.
      context.logger.info({ accountId: this.accountId }, 'no receiving bind for the account');
      return messages.map(() => ({ status: 'throttled', retryAfterMs: this.#noReceiverRetryMs }));
    }
    const log = context.logger.child({ sessionId: session.id, systemId: this.accountId });
    // Receipts need no order among themselves: send them all at once, within the session window.
    if (messages.every((m) => m.kind === 'receipt') && !context.signal.aborted) {
      return Promise.all(messages.map((m) => this.#sendOne(session, m, log)));
    }
    const results: DeliveryResult[] = [];
    let blocker: DeliveryResult | undefined;
    for (const message of messages) {
      if (blocker) {
        results.push(resultForUnsent(blocker));
        continue;
      }
      if (context.signal.aborted) {
        // Never sent, so not an attempt; due at once for whichever worker takes it next.
        blocker = { status: 'throttled', retryAfterMs: 0 };
        results.push(blocker);
        continue;
      }
      const result = this.#withDelay(await this.#sendOne(session, message, log), message);
      results.push(result);
      if (result.status === 'temporary' || result.status === 'throttled') blocker = result;
    }
    log.debug({ destMsisdn: destination, results: results.map((r) => r.status) }, 'batch delivered');
    return results;
  }

  /** Fixes a temporary failure's delay now, so that what waits behind it can wait as long. */
  #withDelay(result: DeliveryResult, message: SmsRecord): DeliveryResult {
    if (result.status !== 'temporary' || result.retryAfterMs !== undefined || !this.#policy) return result;
    return { ...result, retryAfterMs: this.#policy.delayMs(message.attempts + 1, result.errorClass) };
  }

  async #sendOne(
    session: SmppSession,
    message: SmsRecord,
    log: DeliveryContext['logger'],
  ): Promise<DeliveryResult> {
    // Unbinding or closed since the batch started: not sent, so not an attempt (§2.3 Table 2-1).
    if (!mayIssue('smsc', 'deliver_sm', session.state)) {
      log.info({ messageId: message._id, state: session.state }, 'session no longer bound: not sent');
      return { status: 'throttled', retryAfterMs: this.#noReceiverRetryMs };
    }
    try {
      const resp = await session.request(
        toDeliverSm(message),
        this.#timeoutMs !== undefined ? { timeoutMs: this.#timeoutMs } : {},
      );
      const result = resultForStatus(resp.commandStatus);
      if (result.status !== 'delivered')
        log.info({ messageId: message._id, commandStatus: resp.commandStatus }, 'deliver_sm refused');
      return result;
    } catch (error) {
      log.info({ messageId: message._id, err: error }, 'deliver_sm failed');
      return resultForError(error, this.#noReceiverRetryMs);
    }
  }
}
