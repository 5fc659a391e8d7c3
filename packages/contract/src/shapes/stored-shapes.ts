import { RISK_LEVELS } from '../risk-levels.js';
import type { JsonObject } from '../schemas/json-object.js';
import type { RiskAssessment } from '../schemas/risk.js';
import { CAPTURE_SOURCES, type CaptureSourceKind } from '../status.js';
import { type JsonShape, jsonObject, jsonShape, listOf, objectOf, oneOf, text } from './json-shape.js';

// The shapes of the relay's stored JSON columns, checked without zod (see json-shape.ts). Each
// accepts and returns what the contract's zod schema of the same name does, from the same
// constant lists; test/stored-shapes.test.ts holds them to it. The output types are the zod
// schemas' own inferred types (imported as types only, which loads nothing).

/** A request's capture sources, as CaptureSourceList: e.g. `["sms", "email"]`. */
export const CaptureSourceListShape: JsonShape<CaptureSourceKind[]> = jsonShape(
  listOf(oneOf(CAPTURE_SOURCES)),
);

/** A JSON object whose members are not constrained (a scope, a context, audit details), as JsonObject. */
export const JsonObjectShape: JsonShape<JsonObject> = jsonShape(jsonObject);

const riskLevel = oneOf(RISK_LEVELS);

/** A request's risk assessment, as RiskAssessment. */
export const RiskAssessmentShape: JsonShape<RiskAssessment> = jsonShape(
  objectOf({
    level: riskLevel,
    reasons: listOf(objectOf({ rule: text, level: riskLevel, text })),
  }),
);
