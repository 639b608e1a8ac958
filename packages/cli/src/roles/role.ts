/** The roles `smsc <role>` runs; `all` runs the others in one process. */
export const Role = {
  inserter: 'inserter',
  delivery: 'delivery',
  cleanup: 'cleanup',
  all: 'all',
} as const;
export type Role = (typeof Role)[keyof typeof Role];

export function isRole(name: string): name is Role {
  return Object.hasOwn(Role, name);
}

/** A started role. `close` stops it within the drain time; each part's failure is logged, not thrown. */
export type RunningPart = {
  readonly name: string;
  close(drainMs: number): Promise<void>;
};
