// The seed README's permission example, pasted as written and run against the real relay,
// once with the README's four example policies loaded from YAML and once with none (the
// owner decides). Regression guard for issue 6.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AgentOTPClient, PermissionTokenError, ScopeViolationError } from '@orrisai/agent-otp-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { ownerJson } from './support/owner.js';

const seedPolicies = join(
  fileURLToPath(new URL('../../../docs/examples/', import.meta.url)),
  'seed-policies.yaml',
);

/** The protected operation of the example: records what it was asked to send. */
const sent: Array<{ to: string; subject: string; otpToken: string | undefined }> = [];
async function sendEmail(email: {
  to: string;
  subject: string;
  otpToken: string | undefined;
}): Promise<void> {
  sent.push(email);
}

/** The seed README's example, unchanged. */
async function seedExample() {
  const otp = new AgentOTPClient({
    apiKey: process.env.AGENT_OTP_KEY,
  });

  // Request permission with automatic waiting for approval
  const permission = await otp.requestPermission({
    action: 'gmail.send',
    resource: 'email:client@example.com',
    scope: {
      max_emails: 1,
      subject_pattern: '^Invoice.*',
    },
    context: {
      reason: 'Sending monthly invoice to client',
    },
    waitForApproval: true,
    onPendingApproval: (info) => {
      console.log(`Waiting for approval: ${info.approvalUrl}`);
    },
  });

  if (permission.status === 'approved') {
    // Use the token for your protected operation
    await sendEmail({
      to: 'client@example.com',
      subject: 'Invoice #123',
      otpToken: permission.token,
    });

    // Mark token as used
    await otp.useToken(permission.id, permission.token);
  }
  return permission;
}

async function ownerApprovesNextPermission(relay: TestRelay): Promise<string> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { approvals } = await ownerJson<{ approvals: Array<{ id: string; kind: string }> }>(
      relay,
      '/api/v1/approvals',
    );
    const pending = approvals.find((a) => a.kind === 'permission');
    if (pending) {
      await ownerJson(relay, `/api/v1/approvals/${pending.id}/approve`, { method: 'POST' });
      return pending.id;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('no permission request reached the approval queue');
}

describeEachDialect('seed permission example', (dialect) => {
  afterEach(() => {
    vi.restoreAllMocks();
    sent.length = 0;
  });

  describe('without policies: the owner approves', () => {
    let relay: TestRelay;
    beforeAll(async () => {
      relay = await startTestRelay(dialect);
      const agent = await relay.createAgent({ name: 'invoice-agent' });
      vi.stubEnv('AGENT_OTP_URL', relay.url);
      vi.stubEnv('AGENT_OTP_KEY', agent.apiKey);
    });
    afterAll(async () => {
      vi.unstubAllEnvs();
      await relay?.stop();
    });

    it('waits for approval, sends the email with the token, and spends it', async () => {
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      const [permission, approvedId] = await Promise.all([seedExample(), ownerApprovesNextPermission(relay)]);
      expect(permission).toMatchObject({ id: approvedId, status: 'approved', scope: { max_emails: 1 } });
      expect(permission.token).toMatch(/^otp_[A-Za-z0-9]{43}$/);
      expect(log).toHaveBeenCalledWith(
        expect.stringMatching(new RegExp(`^Waiting for approval: http.*/approvals/${approvedId}$`)),
      );
      expect(sent).toEqual([
        { to: 'client@example.com', subject: 'Invoice #123', otpToken: permission.token },
      ]);
      const client = new AgentOTPClient({ apiKey: process.env.AGENT_OTP_KEY });
      expect(await client.verifyToken(permission.id, permission.token)).toMatchObject({
        valid: false,
        reason: 'used',
      });
      await expect(client.useToken(permission.id, permission.token)).rejects.toMatchObject({
        code: 'TOKEN_USED',
        status: 409,
      });
      await expect(client.useToken(permission.id, permission.token)).rejects.toBeInstanceOf(
        PermissionTokenError,
      );
    });

    it('a use that reports its details is checked against the scope in full', async () => {
      const [permission, approvedId] = await Promise.all([
        new AgentOTPClient({ apiKey: process.env.AGENT_OTP_KEY }).requestPermission({
          action: 'gmail.send',
          resource: 'email:client@example.com',
          scope: { max_emails: 1, subject_pattern: '^Invoice.*' },
          waitForApproval: true,
        }),
        ownerApprovesNextPermission(relay),
      ]);
      const client = new AgentOTPClient({ apiKey: process.env.AGENT_OTP_KEY });
      expect(permission.id).toBe(approvedId);
      const token = permission.token as string;
      await expect(client.useToken(approvedId, token, { emails: 1 })).rejects.toBeInstanceOf(
        ScopeViolationError,
      );
      await expect(
        client.useToken(approvedId, token, { emails: 1, subject: 'Hello' }),
      ).rejects.toBeInstanceOf(ScopeViolationError);
      expect(await client.useToken(approvedId, token, { emails: 1, subject: 'Invoice #123' })).toMatchObject({
        success: true,
        usesRemaining: 0,
      });
    });
  });

  describe('with the seed README policies from YAML', () => {
    let relay: TestRelay;
    beforeAll(async () => {
      relay = await startTestRelay(dialect, { env: { POLICY_FILE: seedPolicies } });
      const agent = await relay.createAgent({ name: 'invoice-agent' });
      vi.stubEnv('AGENT_OTP_URL', relay.url);
      vi.stubEnv('AGENT_OTP_KEY', agent.apiKey);
    });
    afterAll(async () => {
      vi.unstubAllEnvs();
      await relay?.stop();
    });

    it('an external recipient falls to "Default deny": nothing is sent', async () => {
      const log = vi.spyOn(console, 'log').mockImplementation(() => {});
      const permission = await seedExample();
      expect(permission).toMatchObject({ status: 'denied', decision: { by: 'policy:Default deny' } });
      expect(permission.token).toBeUndefined();
      expect(sent).toEqual([]);
      expect(log).not.toHaveBeenCalled();
    });

    it('internal mail, a small file read and a bank transfer get the documented decisions', async () => {
      const client = new AgentOTPClient({ apiKey: process.env.AGENT_OTP_KEY });
      const internal = await client.requestPermission({
        action: 'gmail.send',
        resource: 'email:bob@mycompany.com',
        context: { recipient: 'bob@mycompany.com', reason: 'Weekly report' },
      });
      expect(internal).toMatchObject({
        status: 'approved',
        policy: { name: 'Auto-approve internal emails' },
      });
      expect(await client.useToken(internal.id, internal.token, { subject: 'Weekly report' })).toMatchObject({
        success: true,
        usesRemaining: 0,
      });

      const read = await client.requestPermission({
        action: 'file.read',
        resource: 'file:/a.md',
        scope: { size_limit: 10 },
      });
      expect(read).toMatchObject({ status: 'approved', scope: { max_size: 1048576 } });
      await expect(client.useToken(read.id, read.token, { extensions: ['.sh'] })).rejects.toMatchObject({
        code: 'SCOPE_VIOLATION',
      });
      await expect(client.useToken(read.id, read.token, { extensions: ['.sh'] })).rejects.toBeInstanceOf(
        ScopeViolationError,
      );

      const onPendingApproval = vi.fn();
      const bank = await client.requestPermission({
        action: 'bank.transfer',
        resource: 'account:42',
        context: { reason: 'Pay rent' },
        ttl: 30,
        waitForApproval: true,
        timeout: 300,
        onPendingApproval,
      });
      expect(bank).toMatchObject({
        status: 'pending_approval',
        policy: { name: 'Financial operations require approval' },
      });
      expect(onPendingApproval).toHaveBeenCalledWith(
        expect.objectContaining({ id: bank.id, action: 'bank.transfer' }),
      );
    });
  });
});
