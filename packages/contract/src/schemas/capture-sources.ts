import { z } from 'zod';
import { CAPTURE_SOURCES } from '../status.js';

// Apart from otp.ts so the relay's database layer can check a stored source list without
// constructing the request schemas (see stored-values.ts).
export const CaptureSourceKindSchema = z.enum(CAPTURE_SOURCES);
/** The capture sources a request accepts. */
export const CaptureSourceList = z.array(CaptureSourceKindSchema);
