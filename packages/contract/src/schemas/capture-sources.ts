import { z } from 'zod';
import { CAPTURE_SOURCES } from '../status.js';

// Apart from otp.ts, which builds the request schemas. The relay's database layer checks a
// stored source list with CaptureSourceListShape (shapes/stored-shapes.ts), which accepts and
// returns what CaptureSourceList does, without zod.
export const CaptureSourceKindSchema = z.enum(CAPTURE_SOURCES);
/** The capture sources a request accepts. */
export const CaptureSourceList = z.array(CaptureSourceKindSchema);
