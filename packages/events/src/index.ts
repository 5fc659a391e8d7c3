export * from './event-bus.js';
export * from './in-process-event-bus.js';
export { type BusLogger, PostgresEventBus, type PostgresEventBusOptions } from './postgres-event-bus.js';
