import { readFileSync } from 'node:fs';
import type tls from 'node:tls';
import type { SmscConfig } from './config/validate.ts';
import { InvalidConfigError } from './errors.ts';

function read(path: string, field: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new InvalidConfigError(field, `cannot read ${path} (${code})`, undefined, { cause: error });
  }
}

/** The inserter's TLS server options from the configured PEM files; undefined for plain TCP. */
export function smppTlsOptions(config: SmscConfig): tls.TlsOptions | undefined {
  const { tlsCertFile, tlsKeyFile } = config.smpp;
  if (tlsCertFile === undefined || tlsKeyFile === undefined) return undefined;
  return { cert: read(tlsCertFile, 'smpp.tlsCertFile'), key: read(tlsKeyFile, 'smpp.tlsKeyFile') };
}
