/**
 * PDU types, derived from the command table (commands.ts) so the types and the codec cannot drift.
 */
import type { CommandName } from './command-ids.ts';
import type { Commands, FieldKind } from './commands.ts';
import type { Tlvs } from './tlvs.ts';

export type { CommandName } from './command-ids.ts';
export type { CallbackNum, CallbackNumAtag, NetworkErrorCode, TlvName, Tlvs, UnknownTlv } from './tlvs.ts';

/** dest_flag values of a submit_multi dest_address (§5.2.25). */
export const DestFlag = { smeAddress: 1, distributionList: 2 } as const;

/** One destination of submit_multi (§4.5.1.1): an SME address or a distribution list name. */
export type DestAddress =
  | {
      destFlag: typeof DestFlag.smeAddress;
      destAddrTon: number;
      destAddrNpi: number;
      destinationAddr: string;
    }
  | { destFlag: typeof DestFlag.distributionList; dlName: string };

/** One failed destination in submit_multi_resp (§4.5.2.1), with the command_status it got. */
export type UnsuccessSme = {
  destAddrTon: number;
  destAddrNpi: number;
  destinationAddr: string;
  errorStatusCode: number;
};

type ValueOf<Kd extends FieldKind> = Kd extends 1
  ? number
  : Kd extends 2 | 3
    ? string
    : Kd extends 4
      ? Buffer
      : Kd extends 5
        ? DestAddress[]
        : Kd extends 6
          ? UnsuccessSme[]
          : never;

type Simplify<T> = { [P in keyof T]: T[P] } & {};

type FieldsOf<N extends CommandName> = {
  [F in Commands[N]['fields'][number] as F['name']]: ValueOf<F['kind']>;
};

/** The header every PDU carries (§3.2); command_length and command_id are derived from `command`. */
export type PduHeader<N extends CommandName> = {
  command: N;
  /** 0 in requests (§5.1.3); the result in responses. */
  commandStatus: number;
  /** 1..0x7FFFFFFF, copied from request to response (§5.1.4). */
  sequenceNumber: number;
  tlvs?: Tlvs;
};

/** The PDU of one command, e.g. `PduOf<'submit_sm'>`. */
export type PduOf<N extends CommandName> = Simplify<PduHeader<N> & FieldsOf<N>>;

/** Any SMPP 3.4 PDU, discriminated on `command`. */
export type Pdu = { [N in CommandName]: PduOf<N> }[CommandName];
