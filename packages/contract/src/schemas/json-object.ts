import { z } from 'zod';

// Apart from common.ts, which builds the other common schemas. The relay's database layer
// checks a stored JSON column with JsonObjectShape (shapes/stored-shapes.ts), which accepts and
// returns what JsonObject does, without zod.
/** A JSON object whose members are not constrained here (a scope, a context, as stored and shown). */
export const JsonObject = z.record(z.string(), z.unknown());
export type JsonObject = z.infer<typeof JsonObject>;
