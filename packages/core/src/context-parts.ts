/**
 * `@agent-otp/core/context-parts`: what building a CoreContext needs, without the rest of
 * core (capture, extraction, webhooks, policies). One-shot CLI commands open a context on
 * every run, so what they load is part of their start-up time (issue 17, issue 18).
 */
export { type Clock, type CoreContext, systemClock } from './context.js';
export { type EventBus, InProcessEventBus } from './events/event-bus.js';
export { PasswordHashGate } from './owners/password-hash-gate.js';
export type { PolicySet } from './policies/policy-types.js';
