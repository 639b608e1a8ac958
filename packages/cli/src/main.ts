#!/usr/bin/env node
// `smsc <role>`: the one place that reads argv, the environment and OS signals (see run.ts).
import { parseCliArgs } from './args.ts';
import { loadConfig } from './config/load.ts';
import { TRIAL_CONFIG } from './config/trial.ts';
import { CliError } from './errors.ts';
import { helpText } from './help.ts';
import { createLogger } from './logger.ts';
import { checkRoleConfig, startSmsc } from './run.ts';

async function main(): Promise<number> {
  let args: ReturnType<typeof parseCliArgs>;
  let loaded: ReturnType<typeof loadConfig>;
  try {
    args = parseCliArgs(process.argv.slice(2));
    if (args.kind === 'help') {
      process.stdout.write(helpText());
      return 0;
    }
    loaded = loadConfig({
      ...(args.configPath !== undefined ? { path: args.configPath } : {}),
      env: process.env,
      cwd: process.cwd(),
      trialFallback: args.trialFallback,
    });
    checkRoleConfig(args.role, loaded.config);
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(
        `smsc: ${error.message}\n${error.code === 'SMSC_CLI_USAGE' ? 'Try smsc --help.\n' : ''}`,
      );
      return 2;
    }
    throw error;
  }
  const { config, source } = loaded;
  if (source.kind === 'trial') {
    process.stdout.write(
      `smsc: no ./smsc.config.json: running the built-in trial config (in-memory MongoDB, nothing survives a restart):\n${JSON.stringify(TRIAL_CONFIG, null, 2)}\n`,
    );
  }
  const logger = createLogger(config.log.level);
  // A bug that escapes every handler ends the process as Node would (exit 1), but in the JSON log.
  // Leases and fencing tokens make that safe: others take the claims over once they run out.
  for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
    process.on(event, (error: unknown) => {
      logger.fatal({ err: error, event }, 'unexpected error: exiting');
      process.exit(1);
    });
  }
  // Signals count from here: one that arrives while starting stops the SMSC as soon as it is up.
  const drainMs = config.shutdown.drainMs;
  let signalled: ((signal: NodeJS.Signals) => void) | undefined;
  let early: NodeJS.Signals | undefined;
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    if (signalled) signalled(signal);
    else early = signal;
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  // Only now: whoever waits for this line may signal at once.
  logger.info({ role: args.role, config: source.kind === 'file' ? source.path : source.kind }, 'starting');

  let smsc: Awaited<ReturnType<typeof startSmsc>>;
  try {
    smsc = await startSmsc(args.role, config, logger);
  } catch (error) {
    logger.fatal({ err: error }, 'start failed');
    return 1;
  }
  logger.info({ smpp: smsc.smpp, inMemory: smsc.database.inMemory }, 'smsc running');

  return new Promise<number>((resolve) => {
    signalled = (signal) => {
      logger.info({ signal, drainMs }, 'shutting down');
      // Every part is bounded by drainMs; this is the last resort if one hangs anyway.
      const hard = setTimeout(() => {
        logger.error({ drainMs }, 'shutdown did not finish in time');
        resolve(1);
      }, drainMs + 5000);
      hard.unref();
      void smsc.close().then(() => {
        clearTimeout(hard);
        logger.info('stopped');
        resolve(0);
      });
    };
    if (early) signalled(early);
  });
}

process.exitCode = await main();
// Anything still scheduled (a driver timer, a socket in linger) must not keep a stopped SMSC alive.
setImmediate(() => process.exit()).unref();
