import { anyOwnerHasPassword, completeSetup, createBrowserSession } from '@agent-otp/core';
import { SessionInfo, SetupBody, SetupStatus } from '@agent-otp/shared';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import { setSessionCookies } from '../../middleware/session-cookies.js';
import type { Router } from '../../openapi-app.js';

const statusRoute = declareRoute({
  method: 'get',
  path: '/api/v1/setup',
  operationId: 'getSetupStatus',
  credential: 'public',
  tags: ['Dashboard session'],
  summary: 'Whether first-run setup is still open (no owner has a password yet)',
  description:
    'Whether first-run setup is still open: true until an owner has a password. The dashboard uses it to choose between its setup and sign-in pages.',
  responses: {
    200: { description: 'Setup state.', content: { 'application/json': { schema: SetupStatus } } },
  },
});

const completeRoute = declareRoute({
  method: 'post',
  path: '/api/v1/setup',
  operationId: 'completeSetup',
  credential: 'public',
  tags: ['Dashboard session'],
  summary:
    'First run: spend the one-time setup token printed by `agent-otp serve`, create the owner, sign in',
  description:
    'On a fresh install whose only owner is the passwordless `owner@localhost` (what the CLI uses), that owner is claimed and keeps its agents.',
  errors: {
    UNAUTHORIZED:
      'this setup link is not valid (used, expired or mistyped); restart `agent-otp serve` for a new one',
    CONFLICT: 'This relay is already set up: sign in at https://otp.example.com/sign-in',
    VALIDATION_ERROR: 'body.password: password must be at least 12 characters',
  },
  request: { body: { required: true, content: { 'application/json': { schema: SetupBody } } } },
  responses: {
    201: {
      description: 'The owner exists and is signed in.',
      content: { 'application/json': { schema: SessionInfo } },
    },
  },
});

/** `/api/v1/setup`: the first-run setup page's API. */
export function registerSetup(app: Router, services: ServerServices) {
  openapiRoute(app, services, statusRoute, async (c) =>
    c.json({ setupRequired: !(await anyOwnerHasPassword(services.ctx)) }, 200),
  );
  openapiRoute(app, services, completeRoute, async (c) => {
    const { owner } = await completeSetup(services.ctx, c.req.valid('json'));
    const session = await createBrowserSession(services.ctx, owner);
    setSessionCookies(c, session, services.ctx.publicUrl, services.ctx.clock.now());
    return c.json({ owner: session.owner, expiresAt: session.expiresAt }, 201);
  });
}
