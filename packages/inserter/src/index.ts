export type {
  ReceiverChange,
  SessionRegistry,
  SessionRegistryEvent,
  SessionRegistryEvents,
} from './session-registry.ts';
