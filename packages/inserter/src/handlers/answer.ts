/** What a handler returns: the command_status and, when it is ESME_ROK, the response's fields. */
export type Answer = { commandStatus: number } & Record<string, unknown>;

/** §5.1.3 / §4: a *_resp with an error carries no body. */
export function refuse(commandStatus: number): Answer {
  return { commandStatus };
}
