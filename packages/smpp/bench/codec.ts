/**
 * Codec benchmark: encode and decode of the same realistic submit_sm PDUs (160-character GSM text,
 * registered_delivery 1, three TLVs) with @smsc/smpp and with node-smpp (`smpp` 0.5.1), side by side
 * in one run. Several interleaved rounds; the medians are reported in PDUs per second.
 * Run: `pnpm bench:codec`. The last line is one JSON object for scripts.
 */
import { createRequire } from 'node:module';
import { decodePdu } from '../src/decode.ts';
import { encodePdu } from '../src/encode.ts';
import { PduFramer } from '../src/framer.ts';
import type { PduOf } from '../src/types.ts';

type NodeSmppPdu = { toBuffer(): Buffer };
type NodeSmpp = {
  PDU: {
    new (command: string, options: Record<string, unknown>): NodeSmppPdu;
    fromBuffer(buffer: Buffer): unknown;
  };
};
const smpp = createRequire(import.meta.url)('smpp') as NodeSmpp;

const COUNT = 500; // distinct PDUs, cycled
const ROUNDS = 7;
const ROUND_MS = 600;

// 160 characters of the GSM 03.38 default alphabet, one octet each (data_coding 0, unpacked).
const TEXT = 'Your verification code is 482913. It expires in 10 minutes. Do not share it with anyone. '
  .repeat(2)
  .slice(0, 160);

function ourPdu(i: number): PduOf<'submit_sm'> {
  return {
    command: 'submit_sm',
    commandStatus: 0,
    sequenceNumber: i + 1,
    serviceType: '',
    sourceAddrTon: 5,
    sourceAddrNpi: 0,
    sourceAddr: 'MyBrand',
    destAddrTon: 1,
    destAddrNpi: 1,
    destinationAddr: `4477009${String(i).padStart(5, '0')}`,
    esmClass: 0,
    protocolId: 0,
    priorityFlag: 0,
    scheduleDeliveryTime: '',
    validityPeriod: '000001000000000R',
    registeredDelivery: 1,
    replaceIfPresentFlag: 0,
    dataCoding: 0,
    smDefaultMsgId: 0,
    shortMessage: Buffer.from(`${String(i % 10)}${TEXT.slice(1)}`, 'latin1'),
    tlvs: { userMessageReference: i & 0xffff, languageIndicator: 1, moreMessagesToSend: 0 },
  };
}

function nodeSmppOptions(p: PduOf<'submit_sm'>): Record<string, unknown> {
  return {
    sequence_number: p.sequenceNumber,
    service_type: p.serviceType,
    source_addr_ton: p.sourceAddrTon,
    source_addr_npi: p.sourceAddrNpi,
    source_addr: p.sourceAddr,
    dest_addr_ton: p.destAddrTon,
    dest_addr_npi: p.destAddrNpi,
    destination_addr: p.destinationAddr,
    esm_class: p.esmClass,
    protocol_id: p.protocolId,
    priority_flag: p.priorityFlag,
    schedule_delivery_time: p.scheduleDeliveryTime,
    validity_period: p.validityPeriod,
    registered_delivery: p.registeredDelivery,
    replace_if_present_flag: p.replaceIfPresentFlag,
    data_coding: p.dataCoding,
    sm_default_msg_id: p.smDefaultMsgId,
    // A Buffer, as ours gets: node-smpp then copies it as is, so both encode the same octets.
    short_message: p.shortMessage,
    user_message_reference: p.tlvs?.userMessageReference,
    language_indicator: p.tlvs?.languageIndicator,
    more_messages_to_send: p.tlvs?.moreMessagesToSend,
  };
}

const ours = Array.from({ length: COUNT }, (_, i) => ourPdu(i));
const theirs = ours.map(nodeSmppOptions);
const frames = ours.map((p) => encodePdu(p));
// The same PDUs with data_coding 4 (binary): node-smpp then leaves short_message a Buffer, as ours
// always does, which isolates the cost of the PDU codec from node-smpp's text conversion.
const binaryFrames = ours.map((p) => encodePdu({ ...p, dataCoding: 4 }));

// Both codecs must produce the same octets, or the comparison means nothing.
for (let i = 0; i < COUNT; i++) {
  const nodeBytes = new smpp.PDU('submit_sm', { ...theirs[i] }).toBuffer();
  if (!nodeBytes.equals(frames[i]!)) {
    throw new Error(
      `node-smpp encodes PDU ${i} differently:\n${nodeBytes.toString('hex')}\n${frames[i]!.toString('hex')}`,
    );
  }
}

// The same PDUs as one TCP-like byte stream in 64 KiB chunks, for the framer line.
const streamChunks: Buffer[] = [];
{
  const stream = Buffer.concat(frames);
  for (let off = 0; off < stream.length; off += 65536) streamChunks.push(stream.subarray(off, off + 65536));
}

let sink = 0;

/** Runs `op` over the PDUs for about ROUND_MS, returns PDUs per second. */
function measure(op: (i: number) => number): number {
  let done = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ROUND_MS) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < COUNT; i++) sink += op(i);
    done += COUNT;
    now = process.hrtime.bigint();
  }
  return (done * 1e9) / Number(now - start);
}

/** PduFramer over the whole stream: framing plus decoding, PDUs per second. */
function measureFramer(): number {
  let done = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ROUND_MS) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    const framer = new PduFramer();
    for (const chunk of streamChunks) done += framer.push(chunk).length;
    now = process.hrtime.bigint();
  }
  return (done * 1e9) / Number(now - start);
}

const ops = {
  oursEncode: (i: number) => encodePdu(ours[i]!).length,
  oursDecode: (i: number) => (decodePdu(frames[i]!) as PduOf<'submit_sm'>).sequenceNumber,
  // node-smpp mutates its PDU options (filters), so each encode gets a fresh PDU like a real sender.
  nodeEncode: (i: number) => new smpp.PDU('submit_sm', theirs[i]!).toBuffer().length,
  nodeDecode: (i: number) => (smpp.PDU.fromBuffer(frames[i]!) as { sequence_number: number }).sequence_number,
  oursDecodeBinary: (i: number) => (decodePdu(binaryFrames[i]!) as PduOf<'submit_sm'>).sequenceNumber,
  nodeDecodeBinary: (i: number) =>
    (smpp.PDU.fromBuffer(binaryFrames[i]!) as { sequence_number: number }).sequence_number,
};
type OpName = keyof typeof ops;

// Warm-up so both sides run optimised code.
for (const name of Object.keys(ops) as OpName[])
  for (let i = 0; i < 20_000; i++) sink += ops[name](i % COUNT);

const results = Object.fromEntries(Object.keys(ops).map((name) => [name, [] as number[]])) as Record<
  OpName,
  number[]
>;
const framerResults: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const name of Object.keys(ops) as OpName[]) results[name].push(measure(ops[name]));
  framerResults.push(measureFramer());
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const m = {
  oursEncode: Math.round(median(results.oursEncode)),
  oursDecode: Math.round(median(results.oursDecode)),
  nodeEncode: Math.round(median(results.nodeEncode)),
  nodeDecode: Math.round(median(results.nodeDecode)),
  oursDecodeBinary: Math.round(median(results.oursDecodeBinary)),
  nodeDecodeBinary: Math.round(median(results.nodeDecodeBinary)),
};
const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
const fmt = (n: number) => n.toLocaleString('en-US').padStart(12);

console.log(
  `submit_sm of ${frames[0]!.length} octets, ${COUNT} distinct PDUs, ${ROUNDS} rounds of ${ROUND_MS} ms`,
);
console.log(`Node ${process.version}; node-smpp's decode also turns the GSM text into a string`);
console.log(
  `encode  ours ${fmt(m.oursEncode)}/s  node-smpp ${fmt(m.nodeEncode)}/s  x${ratio(m.oursEncode, m.nodeEncode)}`,
);
console.log(
  `decode  ours ${fmt(m.oursDecode)}/s  node-smpp ${fmt(m.nodeDecode)}/s  x${ratio(m.oursDecode, m.nodeDecode)}`,
);
console.log(
  `decode, binary data_coding (no text conversion on either side)  ours ${fmt(m.oursDecodeBinary)}/s  node-smpp ${fmt(m.nodeDecodeBinary)}/s  x${ratio(m.oursDecodeBinary, m.nodeDecodeBinary)}`,
);
console.log(
  `framer  ours ${fmt(Math.round(median(framerResults)))}/s  (64 KiB chunks of the same stream, decoded)`,
);
if (sink === 0) console.log('(sink)');
console.log(
  JSON.stringify({
    bench: 'codec',
    ours: { encode: m.oursEncode, decode: m.oursDecode },
    nodeSmpp: { encode: m.nodeEncode, decode: m.nodeDecode },
    ratio: { encode: ratio(m.oursEncode, m.nodeEncode), decode: ratio(m.oursDecode, m.nodeDecode) },
  }),
);
