/** Every time the store and the engine read comes from here, so tests can move time by hand. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
