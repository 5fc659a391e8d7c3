export * from './webhook-event.js';
export * from './webhook-headers.js';
