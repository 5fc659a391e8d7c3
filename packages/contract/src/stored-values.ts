/**
 * `@orrisai/agent-otp-contract/stored-values`: the few schemas and constants the relay's
 * database layer and core need to read what they stored (JSON columns, webhook statuses,
 * error codes), without constructing every request schema or loading the safe-pattern engine
 * and JOSE, so a one-shot command such as `agent-otp pending` starts quickly (issue 17,
 * issue 18). The same values as the package root.
 */
export * from './errors.js';
export { CaptureSourceKindSchema, CaptureSourceList } from './schemas/capture-sources.js';
export type { RequestKind } from './schemas/common.js';
export { JsonObject } from './schemas/json-object.js';
export { RiskAssessment } from './schemas/risk.js';
export * from './status.js';
export { WEBHOOK_EVENT_STATUSES } from './webhooks/webhook-event-statuses.js';
