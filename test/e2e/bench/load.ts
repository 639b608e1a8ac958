// A bounded submit load against one or more inserters, with a sink that takes every deliver_sm.
// Senders and the sink reconnect to another live inserter when theirs goes away, so the load
// survives a killed process. Each message carries a unique text, the key of every bookkeeping map.
import { type ApplicationRequest, connectSmpp, type SmppSession } from '@smsc/smpp';

export type LoadOptions = {
  /** SMPP ports of the inserters alive now; asked again on every (re)connect. */
  ports(): number[];
  senders: number;
  /** submit_sm outstanding per sender. */
  window: number;
  durationMs: number;
  /** Messages in all; stops earlier when reached. Default unbounded (the duration bounds it). */
  maxMessages?: number;
  /** Distinct destinations 4670xxxxxxx, used round-robin. */
  destinations: number;
  /** Messages per second over all senders; default as fast as the windows allow. */
  ratePerS?: number;
  /** Prefix of the texts, so that late deliveries of an earlier run are not counted in this one. */
  tag?: string;
  /**
   * Submitted but not yet seen at the sink: at this many, senders wait (a closed loop, so a run at
   * full load measures what delivery sustains instead of growing a backlog). Default unbounded.
   */
  maxBacklog?: number;
  /** registered_delivery 1, and an acme receiver takes the receipts. */
  receipts?: boolean;
  /** The sink binds to the first live port while it lives (the test knows who delivers). */
  sinkPreferFirst?: boolean;
  /** Sink sessions bound at once (each on the next live port). Default 1. */
  sinks?: number;
};

export type LoadResult = {
  /** Text -> message id of every submit answered ESME_ROK. */
  readonly acked: Map<string, string>;
  /** Text -> how many times the sink got it. */
  readonly seen: Map<string, number>;
  /** Submit -> first delivery, ms, in delivery order. */
  readonly latencies: number[];
  /** Receipts taken by the acme receiver for this run's acknowledged messages. */
  receipts(): number;
  /** Submits answered with another status. */
  readonly refused: number;
  /** Submits that got no answer (their session died). */
  readonly unknown: number;
  /** Of the unanswered submits, how many reached the sink anyway. */
  unknownSeen(): number;
  readonly sinkBinds: number;
  readonly senderBinds: number;
  /** Time from the first submit to the last answer, ms. */
  readonly submitMs: number;
  /** performance.now() of the first submit, of the latest first delivery, of the latest receipt. */
  readonly startedAt: number;
  lastDeliveryAt(): number;
  lastReceiptAt(): number;
  /** Closes the sink (the load is already over). Idempotent. */
  stop(): Promise<void>;
};

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Binds the sink(s) (and the receipts receiver), runs the senders until the duration or the message
 * count is reached, and resolves once every submit has its answer; the receivers stay bound (and
 * keep counting) until `stop()`.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const acked = new Map<string, string>();
  const seen = new Map<string, number>();
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const unknownTexts = new Set<string>();
  /** receipted_message_id -> receipts taken; matched against this run's ids when counted. */
  const receiptIds = new Map<string, number>();
  const ackedIds = new Set<string>();
  let lastDeliveryAt = 0;
  let lastReceiptAt = 0;
  let refused = 0;
  let sinkBinds = 0;
  let senderBinds = 0;
  let stopped = false;
  const sinkSessions = new Set<SmppSession>();

  const pick = (k: number): number | undefined => {
    const ports = options.ports();
    return ports.length === 0 ? undefined : ports[k % ports.length];
  };

  const bind = async (
    port: number,
    kind: 'sink' | 'receipts' | 'sender',
  ): Promise<SmppSession | undefined> => {
    try {
      return await connectSmpp({
        host: '127.0.0.1',
        port,
        enquireLinkIntervalMs: 0,
        connectTimeoutMs: 2000,
        responseTimeoutMs: 5000,
        windowSize: options.window,
        bind:
          kind === 'sink'
            ? { command: 'bind_receiver', systemId: 'sink', password: 'sink-pw' }
            : {
                command: kind === 'receipts' ? 'bind_receiver' : 'bind_transmitter',
                systemId: 'acme',
                password: 'acme-pw',
              },
      });
    } catch {
      return undefined;
    }
  };

  const onSinkPdu = (s: SmppSession, pdu: ApplicationRequest) => {
    if (pdu.command !== 'deliver_sm') return;
    const text = pdu.shortMessage.toString('latin1');
    const t = sentAt.get(text);
    // A late delivery of an earlier run: not this run's to count.
    if (t === undefined) return s.respond(pdu, {});
    const n = seen.get(text) ?? 0;
    seen.set(text, n + 1);
    if (n === 0) {
      lastDeliveryAt = performance.now();
      latencies.push(lastDeliveryAt - t);
    }
    s.respond(pdu, {});
  };
  const onReceipt = (s: SmppSession, pdu: ApplicationRequest) => {
    if (pdu.command !== 'deliver_sm') return;
    const id = pdu.tlvs?.receiptedMessageId;
    if (id !== undefined) {
      receiptIds.set(id, (receiptIds.get(id) ?? 0) + 1);
      if (ackedIds.has(id)) lastReceiptAt = performance.now();
    }
    s.respond(pdu, {});
  };

  /** A receiver of `kind` that rebinds to a live inserter until stop(). */
  const sinkLoop = async (k: number, kind: 'sink' | 'receipts') => {
    while (!stopped) {
      const port = pick(options.sinkPreferFirst ? 0 : k);
      const s = port === undefined ? undefined : await bind(port, kind);
      if (!s) {
        await sleep(50);
        continue;
      }
      if (kind === 'sink') sinkBinds++;
      sinkSessions.add(s);
      s.on('error', () => undefined);
      s.on('pdu', (pdu) => (kind === 'sink' ? onSinkPdu(s, pdu) : onReceipt(s, pdu)));
      await new Promise<void>((r) => s.once('close', () => r()));
      sinkSessions.delete(s);
    }
  };
  const sinks = Array.from({ length: options.sinks ?? 1 }, (_, k) => sinkLoop(k, 'sink'));
  if (options.receipts) sinks.push(sinkLoop(0, 'receipts'));
  const firstSink = Date.now() + 10_000;
  while (sinkSessions.size < sinks.length && Date.now() < firstSink) await sleep(10);

  const t0 = performance.now();
  const deadline = t0 + options.durationMs;
  const max = options.maxMessages ?? Number.POSITIVE_INFINITY;
  let next = 0;
  let lastAnswer = t0;

  const sender = async (k: number) => {
    let attempt = 0;
    while (performance.now() < deadline && next < max) {
      const port = pick(k + attempt++);
      const s = port === undefined ? undefined : await bind(port, 'sender');
      if (!s) {
        await sleep(50);
        continue;
      }
      senderBinds++;
      let open = true;
      s.on('error', () => undefined);
      s.once('close', () => {
        open = false;
      });
      const inflight = new Set<Promise<void>>();
      // A slot of the window freed: the sender waiting for one goes on. (Promise.race over the
      // in-flight set attached a reaction to each of them per submit.)
      let slotFreed: (() => void) | undefined;
      while (open && performance.now() < deadline && next < max) {
        const i = next++;
        if (options.maxBacklog !== undefined)
          while (i - seen.size >= options.maxBacklog && performance.now() < deadline) await sleep(2);
        if (options.ratePerS) {
          const due = t0 + (i * 1000) / options.ratePerS;
          const wait = due - performance.now();
          if (wait > 1) await sleep(wait);
        }
        const text = `${options.tag ?? 'm'}${i}`;
        sentAt.set(text, performance.now());
        const p = s
          .request({
            command: 'submit_sm',
            sourceAddr: '4915100000001',
            destAddrTon: 1,
            destAddrNpi: 1,
            destinationAddr: `4670${String(i % options.destinations).padStart(7, '0')}`,
            registeredDelivery: options.receipts ? 1 : 0,
            shortMessage: Buffer.from(text, 'latin1'),
          })
          .then(
            (r) => {
              lastAnswer = performance.now();
              if (r.commandStatus === 0) {
                acked.set(text, r.messageId);
                ackedIds.add(r.messageId);
              } else refused++;
            },
            () => {
              // The session died under it: stop using it (its 'close' may come only after a macrotask).
              open = false;
              unknownTexts.add(text);
            },
          );
        inflight.add(p);
        void p.finally(() => {
          inflight.delete(p);
          const wake = slotFreed;
          slotFreed = undefined;
          wake?.();
        });
        if (inflight.size >= options.window)
          await new Promise<void>((resolve) => {
            slotFreed = resolve;
          });
      }
      await Promise.all(inflight);
      if (open) await s.unbind().catch(() => s.close());
    }
  };
  await Promise.all(Array.from({ length: options.senders }, (_, k) => sender(k)));

  let stopping: Promise<void> | undefined;
  return {
    acked,
    seen,
    latencies,
    receipts: () => {
      let n = 0;
      for (const [id, count] of receiptIds) if (ackedIds.has(id)) n += count;
      return n;
    },
    refused,
    unknown: unknownTexts.size,
    unknownSeen: () => [...unknownTexts].filter((t) => seen.has(t)).length,
    get sinkBinds() {
      return sinkBinds;
    },
    senderBinds,
    submitMs: lastAnswer - t0,
    startedAt: t0,
    lastDeliveryAt: () => lastDeliveryAt,
    lastReceiptAt: () => lastReceiptAt,
    stop() {
      stopping ??= (async () => {
        stopped = true;
        await Promise.all([...sinkSessions].map((s) => s.close()));
        await Promise.all(sinks);
      })();
      return stopping;
    },
  };
}
