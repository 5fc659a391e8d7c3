import {
  addMailbox,
  type CoreContext,
  editMailbox,
  getMailbox,
  listMailboxes,
  listMailboxNotices,
  openOwnedMailboxForTest,
  removeMailbox,
} from '@agent-otp/core';
import {
  AppError,
  CreateMailboxSchema,
  type ImapMailboxSettings,
  MailboxIdSchema,
  MailboxListSchema,
  MailboxNoticeListSchema,
  MailboxSchema,
  type MailboxTestResult,
  MailboxTestResultSchema,
  OPERATOR_MAILBOX_ID,
  TestMailboxSchema,
  UpdateMailboxSchema,
} from '@agent-otp/shared';
import { z } from '@hono/zod-openapi';
import { declareRoute, openapiRoute } from '../../declare-route.js';
import type { ServerServices } from '../../env.js';
import { OPERATOR_MAILBOX_CONFLICT, refuseOperatorMailbox } from '../../mailboxes/operator-mailbox.js';
import type { Router } from '../../openapi-app.js';
import { requestOwnerActor } from './owner-actor.js';

const json = <T extends z.ZodType>(schema: T) => ({ 'application/json': { schema } });
const MAILBOX_ID = 'mbx_01JD2W9X3YH4Q7M5RZ8T6KCB2N';
/** Budget of each step of a connection test from the API (DNS, TCP, TLS, login, folder). */
const TEST_STEP_TIMEOUT_MS = 10_000;

const routes = {
  list: declareRoute({
    method: 'get',
    path: '/api/v1/mailboxes',
    operationId: 'listMailboxes',
    tags: ['Owner'],
    summary: 'The owner’s connected mailboxes with their health',
    description:
      'The mailboxes this owner connected, oldest first, each with its settings (never the password) and its health: state, last error in words, last message seen, reconnect attempts and the instance running it.',
    credential: 'owner',
    responses: { 200: { description: 'Mailboxes.', content: json(MailboxListSchema) } },
  }),
  notices: declareRoute({
    method: 'get',
    path: '/api/v1/mailboxes/notices',
    operationId: 'listMailboxNotices',
    tags: ['Owner'],
    summary: 'The owner’s mailboxes failing for longer than the relay’s notice threshold',
    description:
      'Each of this owner’s mailboxes that has been reconnecting or failing for longer than MAILBOX_FAILING_NOTICE_MINUTES (default 5), with the last error in words: what the dashboard shows as a banner. Empty once the mailbox recovers.',
    credential: 'owner',
    responses: { 200: { description: 'Notices.', content: json(MailboxNoticeListSchema) } },
  }),
  create: declareRoute({
    method: 'post',
    path: '/api/v1/mailboxes',
    operationId: 'addMailbox',
    tags: ['Owner'],
    summary: 'Connect an IMAP mailbox; its connector starts without a restart',
    description:
      'Stores an IMAP mailbox for this owner, its password sealed with the relay’s credential key, and starts its connector at once (on one instance when several share the database). Codes it captures reach only this owner’s requests. The password is never returned.',
    errors: {
      VALIDATION_ERROR:
        "settings.tls: 'none' would send the password in clear to imap.example.com; it is allowed only to a server on this machine (127.0.0.1, ::1, localhost): use 'implicit' or 'starttls'",
    },
    credential: 'owner',
    request: { body: { content: json(CreateMailboxSchema), required: true } },
    responses: {
      201: { description: 'The mailbox; its connector is starting.', content: json(MailboxSchema) },
    },
  }),
  testUnsaved: declareRoute({
    method: 'post',
    path: '/api/v1/mailboxes/test',
    operationId: 'testMailboxSettings',
    tags: ['Owner'],
    summary: 'Test IMAP settings before saving them: DNS, TCP, TLS, login, folder',
    description:
      'Connects with the given settings and password step by step (DNS, TCP, TLS, login, folder selected read-only) and reports each step; nothing is stored. A failed step is a 200 with `ok: false` and a message naming what to change.',
    credential: 'owner',
    request: { body: { content: json(TestMailboxSchema), required: true } },
    responses: { 200: { description: 'Each step and its outcome.', content: json(MailboxTestResultSchema) } },
  }),
  get: declareRoute({
    method: 'get',
    path: '/api/v1/mailboxes/{id}',
    operationId: 'getMailbox',
    tags: ['Owner'],
    summary: 'One of the owner’s mailboxes with its health',
    description: 'One mailbox of this owner; another owner’s mailbox is a 404, like an unknown one.',
    errors: { NOT_FOUND: `no mailbox ${MAILBOX_ID}` },
    credential: 'owner',
    request: { params: z.object({ id: MailboxIdSchema }) },
    responses: { 200: { description: 'The mailbox.', content: json(MailboxSchema) } },
  }),
  update: declareRoute({
    method: 'patch',
    path: '/api/v1/mailboxes/{id}',
    operationId: 'updateMailbox',
    tags: ['Owner'],
    summary: 'Change a mailbox’s name, settings or password; its connector restarts',
    description:
      'Changes only the fields given; settings are merged into the stored ones and checked whole. The connector restarts with them at once. The password is never returned.',
    errors: {
      NOT_FOUND: `no mailbox ${MAILBOX_ID}`,
      CONFLICT: OPERATOR_MAILBOX_CONFLICT,
    },
    credential: 'owner',
    request: {
      params: z.object({ id: MailboxIdSchema }),
      body: { content: json(UpdateMailboxSchema), required: true },
    },
    responses: { 200: { description: 'The changed mailbox.', content: json(MailboxSchema) } },
  }),
  remove: declareRoute({
    method: 'delete',
    path: '/api/v1/mailboxes/{id}',
    operationId: 'removeMailbox',
    tags: ['Owner'],
    summary: 'Remove a mailbox: its connector stops and its password is erased',
    description:
      'Stops the mailbox’s connector within seconds on whichever instance runs it, erases its sealed password and revokes the capture source it acted as.',
    errors: {
      NOT_FOUND: `no mailbox ${MAILBOX_ID}`,
      CONFLICT: OPERATOR_MAILBOX_CONFLICT,
    },
    credential: 'owner',
    request: { params: z.object({ id: MailboxIdSchema }) },
    responses: { 204: { description: 'Removed.' } },
  }),
  testSaved: declareRoute({
    method: 'post',
    path: '/api/v1/mailboxes/{id}/test',
    operationId: 'testMailbox',
    tags: ['Owner'],
    summary: 'Test a saved mailbox: DNS, TCP, TLS, login, folder',
    description:
      'Runs the connection test with the mailbox’s stored settings and password and reports each step. A failed step is a 200 with `ok: false` and a message naming what to change.',
    errors: {
      NOT_FOUND: `no mailbox ${MAILBOX_ID}`,
      CONFLICT: OPERATOR_MAILBOX_CONFLICT,
    },
    credential: 'owner',
    request: { params: z.object({ id: MailboxIdSchema }) },
    responses: { 200: { description: 'Each step and its outcome.', content: json(MailboxTestResultSchema) } },
  }),
};

/** Runs the step-by-step IMAP test; the mail packages load on the first test only. */
async function testImap(
  ctx: CoreContext,
  settings: ImapMailboxSettings,
  password: string,
): Promise<MailboxTestResult> {
  const { testImapConnection } = await import('@agent-otp/email');
  return testImapConnection(settings, password, {
    timeoutMs: TEST_STEP_TIMEOUT_MS,
    allowPrivate: ctx.mailboxAllowPrivate === true,
  });
}

/**
 * The owner's mailbox routes: list, add, test (unsaved and saved), change and remove. Each
 * change pokes this instance's supervisor, so the connector starts, restarts or stops at once;
 * other instances see it at their next look.
 */
export function registerOwnerMailboxes(app: Router, services: ServerServices) {
  const changed = () => services.mailboxes?.poke();
  /** The operator's mailbox, when this owner is the one it serves. */
  const operatorMailboxFor = async (ownerId: string) => {
    const operator = services.operatorMailbox;
    return operator && (await operator.ownerId()) === ownerId ? operator.view() : undefined;
  };
  openapiRoute(app, services, routes.list, async (c) => {
    const ownerId = c.get('owner').id;
    const operator = await operatorMailboxFor(ownerId);
    const stored = await listMailboxes(services.ctx, ownerId);
    return c.json({ mailboxes: operator ? [operator, ...stored] : stored }, 200);
  });
  openapiRoute(app, services, routes.create, async (c) => {
    const mailbox = await addMailbox(services.ctx, {
      ownerId: c.get('owner').id,
      input: c.req.valid('json'),
      actor: requestOwnerActor(c),
    });
    changed();
    return c.json(mailbox, 201);
  });
  openapiRoute(app, services, routes.notices, async (c) =>
    c.json({ notices: await listMailboxNotices(services.ctx, c.get('owner').id) }, 200),
  );
  // Before `/{id}` routes: `test` is not an id, and the id pattern would refuse it anyway.
  openapiRoute(app, services, routes.testUnsaved, async (c) => {
    const { settings, password } = c.req.valid('json');
    return c.json(await testImap(services.ctx, settings, password), 200);
  });
  openapiRoute(app, services, routes.get, async (c) => {
    const { id } = c.req.valid('param');
    const operator = id === OPERATOR_MAILBOX_ID ? await operatorMailboxFor(c.get('owner').id) : undefined;
    return c.json(operator ?? (await getMailbox(services.ctx, c.get('owner').id, id)), 200);
  });
  openapiRoute(app, services, routes.update, async (c) => {
    refuseOperatorMailbox(c.req.valid('param').id);
    const mailbox = await editMailbox(services.ctx, {
      ownerId: c.get('owner').id,
      mailboxId: c.req.valid('param').id,
      change: c.req.valid('json'),
      actor: requestOwnerActor(c),
    });
    changed();
    return c.json(mailbox, 200);
  });
  openapiRoute(app, services, routes.remove, async (c) => {
    refuseOperatorMailbox(c.req.valid('param').id);
    await removeMailbox(services.ctx, {
      ownerId: c.get('owner').id,
      mailboxId: c.req.valid('param').id,
      actor: requestOwnerActor(c),
    });
    changed();
    return c.body(null, 204);
  });
  openapiRoute(app, services, routes.testSaved, async (c) => {
    refuseOperatorMailbox(c.req.valid('param').id);
    const saved = await openOwnedMailboxForTest(services.ctx, c.get('owner').id, c.req.valid('param').id);
    if (saved.kind !== 'imap')
      throw new AppError(
        'CONFLICT',
        'only IMAP mailboxes have a connection test; a Gmail mailbox shows its health',
      );
    return c.json(await testImap(services.ctx, saved.settings as ImapMailboxSettings, saved.password), 200);
  });
}
