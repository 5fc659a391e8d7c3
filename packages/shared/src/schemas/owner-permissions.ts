import { PermissionRequest } from '@orrisai/agent-otp-contract';
import { z } from 'zod';

/** A permission request as its owner sees it: with the agent it came from, never a token. */
export const OwnerPermissionRequest = PermissionRequest.omit({ token: true })
  .extend({ agent: z.object({ id: z.string(), name: z.string() }) })
  .meta({ id: 'OwnerPermissionRequest' });
export type OwnerPermissionRequest = z.infer<typeof OwnerPermissionRequest>;
