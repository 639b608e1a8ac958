/**
 * SMPP 3.4 command_id values (§5.1.2, Table 5-1). A response id is its request id with bit 31 set.
 */
export const CommandId = {
  generic_nack: 0x80000000,
  bind_receiver: 0x00000001,
  bind_receiver_resp: 0x80000001,
  bind_transmitter: 0x00000002,
  bind_transmitter_resp: 0x80000002,
  query_sm: 0x00000003,
  query_sm_resp: 0x80000003,
  submit_sm: 0x00000004,
  submit_sm_resp: 0x80000004,
  deliver_sm: 0x00000005,
  deliver_sm_resp: 0x80000005,
  unbind: 0x00000006,
  unbind_resp: 0x80000006,
  replace_sm: 0x00000007,
  replace_sm_resp: 0x80000007,
  cancel_sm: 0x00000008,
  cancel_sm_resp: 0x80000008,
  bind_transceiver: 0x00000009,
  bind_transceiver_resp: 0x80000009,
  outbind: 0x0000000b,
  enquire_link: 0x00000015,
  enquire_link_resp: 0x80000015,
  submit_multi: 0x00000021,
  submit_multi_resp: 0x80000021,
  alert_notification: 0x00000102,
  data_sm: 0x00000103,
  data_sm_resp: 0x80000103,
} as const;

export type CommandName = keyof typeof CommandId;

const RESPONSE_BIT = 0x80000000;

const namesById = new Map<number, CommandName>();
for (const name of Object.keys(CommandId) as CommandName[]) namesById.set(CommandId[name], name);

/** The command name of a command_id, or undefined when SMPP 3.4 does not define it. */
export function commandName(commandId: number): CommandName | undefined {
  return namesById.get(commandId);
}

/** True for a response command_id (bit 31 set, §5.1.2), generic_nack included. */
export function isResponse(commandId: number): boolean {
  return (commandId & RESPONSE_BIT) !== 0;
}

/** Requests that have a response, mapped to that response's name. */
export type RequestName = {
  [K in CommandName]: `${K}_resp` extends CommandName ? K : never;
}[CommandName];

export type ResponseNameOf<R extends RequestName> = `${R}_resp` & CommandName;

/**
 * The response command of a request. alert_notification and outbind have none (§4.12, §4.1.7);
 * generic_nack is what any unknown request gets, so it is not returned here.
 */
export function responseCommand<R extends RequestName>(name: R): ResponseNameOf<R>;
export function responseCommand(name: CommandName): CommandName | undefined;
export function responseCommand(name: CommandName): CommandName | undefined {
  const resp = `${name}_resp`;
  return resp in CommandId ? (resp as CommandName) : undefined;
}
