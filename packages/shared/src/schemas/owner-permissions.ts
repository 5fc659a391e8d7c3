import { PermissionRequest, RiskAssessment } from '@orrisai/agent-otp-contract';
import { z } from 'zod';
import { OWNER_PERMISSION_REQUEST_EXAMPLE } from './examples.js';

/** A permission request as its owner sees it: with the agent it came from, never a token. */
export const OwnerPermissionRequest = PermissionRequest.omit({ token: true })
  .extend({
    agent: z.object({ id: z.string(), name: z.string() }),
    risk: RiskAssessment.nullable().meta({
      description:
        'Assessed when the request was created and never changed; null on requests from before risk was assessed.',
    }),
  })
  .meta({ id: 'OwnerPermissionRequest', example: OWNER_PERMISSION_REQUEST_EXAMPLE });
export type OwnerPermissionRequest = z.infer<typeof OwnerPermissionRequest>;
