import type { Logger } from 'pino';
import type { RunningPart } from './role.ts';

/**
 * The `delivery` role runs engine workers over the process's outlets: outbound SMPP connectors and
 * HTTP webhooks. Neither exists yet (they come with the connectors issue), and delivery to bound
 * ESMEs runs in the inserter processes that hold their sessions, so for now the role only says so
 * and waits for a signal: starting it is harmless and keeps deployments stable across the upgrade.
 */
export function startDelivery(logger: Logger, options: { alone: boolean }): RunningPart {
  // Worth a warning only to whoever started this role on its own and expects it to work.
  logger[options.alone ? 'warn' : 'info'](
    'delivery role: no connectors or webhooks exist yet; ESME delivery runs in the inserter processes. Idle.',
  );
  const keepAlive = setInterval(() => undefined, 2 ** 31 - 1);
  return {
    name: 'delivery',
    async close() {
      clearInterval(keepAlive);
    },
  };
}
