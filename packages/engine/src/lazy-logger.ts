import type { Bindings, Logger } from 'pino';

const LEVELS = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
const noop = () => undefined;

/**
 * `parent.child(bindings())`, made on first use. pino's child() serialises its bindings at once
 * (a few µs), and the logger of one batch (its destination, message ids, session) is usually never
 * written to at info level: at thousands of batches a second that was ~4 % of a process's CPU.
 * A call at a disabled level stays a no-op without making the child; `child()` stays lazy too.
 */
export function lazyChild(parent: Logger, bindings: () => Bindings): Logger {
  let made: Logger | undefined;
  const child = () => {
    made ??= parent.child(bindings());
    return made;
  };
  return new Proxy(parent, {
    get(_target, prop) {
      if (typeof prop === 'string' && LEVELS.has(prop) && !parent.isLevelEnabled(prop)) return noop;
      // Bindings merged onto the real parent: a child of this proxy made through it would recurse.
      if (prop === 'child') return (more: Bindings) => lazyChild(parent, () => ({ ...bindings(), ...more }));
      const target = child();
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
