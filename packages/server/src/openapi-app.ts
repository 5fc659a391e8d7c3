import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './env.js';
import { validationHook } from './middleware/errors.js';

/** A router whose validation failures become VALIDATION_ERROR responses. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}
export type Router = ReturnType<typeof createRouter>;
