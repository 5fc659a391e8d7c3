import { z } from 'zod';

// Apart from common.ts so the relay's database layer can parse a stored JSON column without
// constructing the other common schemas (see stored-values.ts).
/** A JSON object whose members are not constrained here (a scope, a context, as stored and shown). */
export const JsonObject = z.record(z.string(), z.unknown());
export type JsonObject = z.infer<typeof JsonObject>;
