import { expect } from 'vitest';
import { type NetSmppRun, receivedFromNetSmpp, runNetSmpp } from './net-smpp.ts';
import {
  DESTINATION,
  expectDeliveredIntactInOrder,
  expectReceiptsMatch,
  SOURCE,
  scenarioParts,
} from './scenario.ts';

export type NetSmppScenarioOptions = {
  host: string;
  /** Where the sink's receiver binds. */
  sinkPort: number;
  /** Where acme's transmitter and its separate receiver bind. */
  acmePort: number;
  /** The concatenation reference of the long message (any 0-255). */
  reference: number;
  /** Every Net::SMPP run is added here, for the caller to kill and print on failure. */
  runs: NetSmppRun[];
  /** Wait until both receivers answered an enquire_link before submitting (the SMSC must send them). */
  expectEnquireLink?: boolean;
};

/**
 * The interop scenario (scenario.ts) driven by Perl's Net::SMPP only: the sink and acme bind
 * receivers, acme submits on a transmitter bind; then the sink must have every part byte for byte
 * and in order, acme one DELIVRD receipt per part with the submit ids, and every run unbinds cleanly.
 */
export async function runNetSmppScenario(o: NetSmppScenarioOptions): Promise<void> {
  const parts = scenarioParts(o.reference);
  const receiver = (port: number, systemId: string, password: string) =>
    // Each unbinds and exits after its count, or fails after 20 s.
    runNetSmpp(['receive', o.host, String(port), systemId, password, String(parts.length), '20']);
  const sink = receiver(o.sinkPort, 'sink', 'sink-pw');
  const acmeRx = receiver(o.acmePort, 'acme', 'acme-pw');
  o.runs.push(sink, acmeRx);
  await sink.waitFor('bound', 10_000);
  await acmeRx.waitFor('bound', 10_000);
  if (o.expectEnquireLink) {
    await sink.waitFor('enquire_link', 5000);
    await acmeRx.waitFor('enquire_link', 5000);
  }

  const submitter = runNetSmpp(
    ['submit', o.host, String(o.acmePort), 'acme', 'acme-pw'],
    parts.map((p) =>
      JSON.stringify({
        from: SOURCE,
        to: DESTINATION,
        hex: p.shortMessage.toString('hex'),
        dataCoding: p.dataCoding,
        esmClass: p.esmClass,
        registeredDelivery: 1,
      }),
    ),
  );
  o.runs.push(submitter);
  expect(await submitter.exit(15_000)).toBe(0);
  const resps = submitter.events.filter((e) => e.event === 'submit_sm_resp');
  expect(resps.map((e) => e.status)).toEqual(parts.map(() => 0));
  const ids = resps.map((e) => String(e.messageId));
  expect(submitter.events.at(-1)).toEqual({ event: 'unbound', status: 0 });

  expect(await sink.exit(25_000)).toBe(0);
  expect(await acmeRx.exit(25_000)).toBe(0);
  const delivered = sink.events.filter((e) => e.event === 'deliver_sm');
  // Byte for byte: the octets the sink got are the octets acme sent.
  expect(delivered.map((e) => e.hex)).toEqual(parts.map((p) => p.shortMessage.toString('hex')));
  expectDeliveredIntactInOrder(delivered.map(receivedFromNetSmpp), parts);
  expectReceiptsMatch(acmeRx.events.filter((e) => e.event === 'deliver_sm').map(receivedFromNetSmpp), ids);
  expect(sink.events.at(-1)).toEqual({ event: 'unbound', status: 0 });
  expect(acmeRx.events.at(-1)).toEqual({ event: 'unbound', status: 0 });
}
