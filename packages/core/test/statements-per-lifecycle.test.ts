// Issue 18: a full OTP lifecycle (create → approve → deliver → consume) ran 30–31 statements
// on SQLite and 39 on PostgreSQL. This pins the statements each step of the core lifecycle
// sends today, so a change that adds one fails here and has to say why. (Over HTTP each
// step also authenticates its caller; that is the routes' cost, counted by `npm run bench`.)
import {
  type AuthenticatedAgent,
  type AuthenticatedSource,
  authenticateApiKey,
  authenticateSourceToken,
  type CoreContext,
  consumeOtp,
  createOtpRequest,
  deliverOtpPayload,
  getOwnerRequest,
  recordDecision,
} from '@agent-otp/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, sealCodeFor } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { countStatements, type StatementCounter } from '../../../test-support/statement-counter.js';

type Step = 'create' | 'approve' | 'deliver' | 'consume';

/**
 * The most statements each step may send, begin and commit included. SQLite: create reads
 * the policies, the risk settings and the key's history, then in one transaction locks the
 * agent, counts its open requests, inserts, and appends the audit event (insert and
 * checkpoint move); the others run one conditional update and the audit append (consume
 * reads the request first: it needs the ciphertext the update erases; deliver does not: its
 * update holds the request to the JWE's key and the source's kind). Approve reads nothing before its update (a high-risk
 * approval is refused from the updated row) and reads the request once after it, with its
 * agent and unclear messages, for the owner's answer (what `POST /requests/:id/approve`
 * does). PostgreSQL: the append is one statement and the NOTIFY for other instances one
 * more, inside the transaction.
 */
const BUDGET: Record<'sqlite' | 'postgres', Record<Step, number>> = {
  sqlite: { create: 10, approve: 7, deliver: 5, consume: 6 },
  postgres: { create: 10, approve: 7, deliver: 5, consume: 6 },
};

describeEachDialect('statements per OTP lifecycle step', (dialect) => {
  let relay: TestRelay;
  let ctx: CoreContext;
  let counter: StatementCounter;
  let agent: AuthenticatedAgent;
  let source: AuthenticatedSource;
  let keys: Awaited<ReturnType<typeof agentKeyPair>>;

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    const counted = countStatements(relay.ctx.database);
    counter = counted.counter;
    ctx = { ...relay.ctx, database: counted.handle };
    const created = await relay.createAgent({ name: 'counted' });
    agent = await authenticateApiKey(ctx, created.apiKey);
    source = await authenticateSourceToken(ctx, (await relay.createSource('email')).token);
    keys = await agentKeyPair();
  });
  afterAll(() => relay.stop());

  async function lifecycle(): Promise<Record<Step, string[]>> {
    const sqlOf = (run: { statements: { sql: string }[] }) => run.statements.map((s) => s.sql);
    const create = await counter.measure(() =>
      createOtpRequest(ctx, agent, {
        reason: 'Counted',
        filter: { sources: ['email'] },
        publicKey: keys.publicKey,
      }),
    );
    const id = create.result.id;
    const approve = await counter.measure(async () => {
      await recordDecision(ctx, {
        id,
        ownerId: relay.owner.id,
        outcome: 'approved',
        actor: { type: 'owner', id: relay.owner.id, label: relay.owner.email, channel: 'dashboard' },
      });
      return getOwnerRequest(ctx, relay.owner.id, id);
    });
    expect(approve.result?.status).toBe('approved');
    const jwe = await sealCodeFor(keys, id);
    const deliver = await counter.measure(() => deliverOtpPayload(ctx, source, id, jwe));
    const consume = await counter.measure(() => consumeOtp(ctx, agent, id));
    expect(consume.result.encryptedPayload).toBe(jwe);
    return {
      create: sqlOf(create),
      approve: sqlOf(approve),
      deliver: sqlOf(deliver),
      consume: sqlOf(consume),
    };
  }

  it('keeps each step within its statement budget once the process knows the audit chain', async () => {
    // The first append to a chain after start-up reads its head; every later one builds on it.
    await lifecycle();
    const steps = await lifecycle();
    for (const step of Object.keys(BUDGET[dialect]) as Step[])
      expect(steps[step].length, `${step}:\n${steps[step].join('\n')}`).toBeLessThanOrEqual(
        BUDGET[dialect][step],
      );
    // Nothing is read before the decision's update, nor before a well-formed delivery's.
    expect(steps.approve[0], steps.approve.join('\n')).toMatch(/^begin|^start transaction/i);
    expect(steps.deliver[0], steps.deliver.join('\n')).toMatch(/^begin|^start transaction/i);
    const total = Object.values(steps).reduce((sum, statements) => sum + statements.length, 0);
    expect(total).toBeLessThanOrEqual(28);
  });
});
