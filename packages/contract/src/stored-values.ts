/**
 * `@orrisai/agent-otp-contract/stored-values`: what the relay's database layer and core need to
 * read what they stored (JSON columns, webhook statuses, error codes), without zod, the
 * safe-pattern engine or JOSE, so a one-shot command such as `agent-otp pending` starts
 * quickly (issue 17, issue 18). The JSON columns are checked by dependency-free shapes that
 * accept and return what the zod schemas of the same names do (shapes/stored-shapes.ts); the
 * schemas' types come along as types. Every other value is the package root's own.
 */
export * from './errors.js';
export type { RequestKind } from './schemas/common.js';
export type { JsonObject } from './schemas/json-object.js';
export type { RiskAssessment } from './schemas/risk.js';
export type { JsonShape, ShapeResult } from './shapes/json-shape.js';
export { CaptureSourceListShape, JsonObjectShape, RiskAssessmentShape } from './shapes/stored-shapes.js';
export * from './status.js';
export { WEBHOOK_EVENT_STATUSES } from './webhooks/webhook-event-statuses.js';
