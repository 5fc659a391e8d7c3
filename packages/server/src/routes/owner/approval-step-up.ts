import { type AuthenticatedBrowserSession, getDecisionSubject, startStepUp } from '@agent-otp/core';
import { AppError, ApprovalRequestId, PasskeyOptions } from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';

const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });

const stepUpRoute = declareRoute({
  method: 'post',
  path: '/api/v1/approvals/{id}/step-up',
  operationId: 'startApprovalStepUp',
  tags: ['Owner'],
  summary: 'Start confirming a high-risk approval with a passkey',
  description:
    'Options for `navigator.credentials.get()` listing the owner’s passkeys, user verification required. The challenge is bound to this dashboard session and this request, used once, and expires after 120 s; send the answer as `passkey` to `POST /api/v1/approvals/{id}/approve`. An owner with no passkey gets 403 `STEP_UP_REQUIRED` saying to add one under Account.',
  credential: 'session',
  errors: {
    NOT_FOUND: 'no request prm_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
    STEP_UP_REQUIRED:
      'approving a high-risk request needs a passkey, and you have none: add one under Account (https://otp.example.com/account)',
    FORBIDDEN:
      'passkeys need a secure address: PUBLIC_URL is http://relay.lan:8080; set it to the https address owners open (http works only for localhost)',
    CONFLICT: 'request prm_01JD2W9X3YH4Q7M5RZ8T6KCB2N is no longer waiting for a decision',
  },
  request: { params: z.object({ id: ApprovalRequestId }) },
  responses: { 200: { description: 'Options for the browser.', content: json(PasskeyOptions) } },
});

function signedIn(session: AuthenticatedBrowserSession | undefined) {
  if (!session) throw new AppError('UNAUTHORIZED', 'not signed in');
  return { sessionId: session.sessionId, owner: session.owner };
}

/** `POST /api/v1/approvals/{id}/step-up`: the passkey challenge a high-risk approval answers. */
export function registerApprovalStepUp(app: Router, services: ServerServices) {
  openapiRoute(app, services, stepUpRoute, async (c) => {
    const { id } = c.req.valid('param');
    const session = signedIn(c.get('browserSession'));
    const subject = await getDecisionSubject(services.ctx, session.owner.id, id);
    if (!subject) throw new AppError('NOT_FOUND', `no request ${id}`);
    if (!subject.pending) throw new AppError('CONFLICT', `request ${id} is no longer waiting for a decision`);
    return c.json({ options: await startStepUp(services.ctx, session, id) }, 200);
  });
}
