import {
  type AuthenticatedBrowserSession,
  finishPasskeyRegistration,
  listPasskeys,
  removePasskey,
  renamePasskey,
  startPasskeyRegistration,
} from '@agent-otp/core';
import {
  AddPasskeyBody,
  AppError,
  PasskeyId,
  PasskeyList,
  PasskeyOptions,
  PasskeyRemoved,
  PasskeySummary,
  RenamePasskeyBody,
} from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import type { Router } from '../../openapi-app.js';

const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });
const params = z.object({ id: PasskeyId });
const FORBIDDEN_EXAMPLE =
  'passkeys need a secure address: PUBLIC_URL is http://relay.lan:8080; set it to the https address owners open (http works only for localhost)';

const routes = {
  list: declareRoute({
    method: 'get',
    path: '/api/v1/account/passkeys',
    operationId: 'listPasskeys',
    tags: ['Account'],
    summary: "The signed-in owner's passkeys",
    description: 'Each passkey the owner registered, oldest first, with its name and when it was last used.',
    credential: 'session',
    responses: { 200: { description: 'The passkeys.', content: json(PasskeyList) } },
  }),
  options: declareRoute({
    method: 'post',
    path: '/api/v1/account/passkeys/options',
    operationId: 'startPasskeyRegistration',
    tags: ['Account'],
    summary: 'Start adding a passkey: WebAuthn creation options',
    description:
      'Options for `navigator.credentials.create()`: a discoverable credential with user verification, the owner’s existing passkeys excluded. The challenge is bound to this session, used once, and expires after 120 s.',
    credential: 'session',
    errors: {
      FORBIDDEN: FORBIDDEN_EXAMPLE,
      CONFLICT: 'you already have 20 passkeys; remove one first',
    },
    responses: { 200: { description: 'Options for the browser.', content: json(PasskeyOptions) } },
  }),
  add: declareRoute({
    method: 'post',
    path: '/api/v1/account/passkeys',
    operationId: 'addPasskey',
    tags: ['Account'],
    summary: 'Finish adding a passkey',
    description:
      "Checks the browser's answer to the registration challenge (origin and RP ID from `PUBLIC_URL`, user verification) and stores the passkey. Recorded as `owner.passkey_added`.",
    credential: 'session',
    errors: {
      VALIDATION_ERROR:
        'this passkey answer is for a challenge the relay did not issue or that was already used; try again',
      FORBIDDEN: FORBIDDEN_EXAMPLE,
      CONFLICT: 'this passkey is already registered',
    },
    request: { body: { required: true, content: json(AddPasskeyBody) } },
    responses: { 201: { description: 'Added.', content: json(PasskeySummary) } },
  }),
  rename: declareRoute({
    method: 'patch',
    path: '/api/v1/account/passkeys/{id}',
    operationId: 'renamePasskey',
    tags: ['Account'],
    summary: 'Rename a passkey',
    description: 'Gives one of the owner’s passkeys a new name. Recorded as `owner.passkey_renamed`.',
    credential: 'session',
    errors: { NOT_FOUND: 'no passkey pky_01JD2W9X3YH4Q7M5RZ8T6KCB2N' },
    request: { params, body: { required: true, content: json(RenamePasskeyBody) } },
    responses: { 200: { description: 'Renamed.', content: json(PasskeySummary) } },
  }),
  remove: declareRoute({
    method: 'delete',
    path: '/api/v1/account/passkeys/{id}',
    operationId: 'removePasskey',
    tags: ['Account'],
    summary: 'Remove a passkey',
    description:
      'The passkey can no longer sign in or approve high-risk requests. Recorded as `owner.passkey_removed`.',
    credential: 'session',
    errors: { NOT_FOUND: 'no passkey pky_01JD2W9X3YH4Q7M5RZ8T6KCB2N' },
    request: { params },
    responses: { 200: { description: 'Removed.', content: json(PasskeyRemoved) } },
  }),
};

function signedIn(session: AuthenticatedBrowserSession | undefined) {
  if (!session) throw new AppError('UNAUTHORIZED', 'not signed in');
  return { sessionId: session.sessionId, owner: session.owner };
}

/** `/api/v1/account/passkeys`: the signed-in owner's passkeys (dashboard session only). */
export function registerAccountPasskeys(app: Router, services: ServerServices) {
  openapiRoute(app, services, routes.list, async (c) => {
    return c.json({ passkeys: await listPasskeys(services.ctx, c.get('owner').id) }, 200);
  });
  openapiRoute(app, services, routes.options, async (c) => {
    const options = await startPasskeyRegistration(services.ctx, signedIn(c.get('browserSession')));
    return c.json({ options }, 200);
  });
  openapiRoute(app, services, routes.add, async (c) => {
    const { name, response } = c.req.valid('json');
    const passkey = await finishPasskeyRegistration(services.ctx, signedIn(c.get('browserSession')), {
      name,
      response: response as RegistrationResponseJSON,
    });
    return c.json(passkey, 201);
  });
  openapiRoute(app, services, routes.rename, async (c) => {
    const { id } = c.req.valid('param');
    const { name } = c.req.valid('json');
    return c.json(await renamePasskey(services.ctx, c.get('owner'), { id, name }), 200);
  });
  openapiRoute(app, services, routes.remove, async (c) => {
    const { id } = c.req.valid('param');
    await removePasskey(services.ctx, c.get('owner'), id);
    return c.json({ removed: true as const }, 200);
  });
}
