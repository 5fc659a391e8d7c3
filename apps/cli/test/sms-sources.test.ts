// Issue 12: `source:create --kind sms --provider …` prints the webhook URL, the token and
// signing key once, and the recipe fields; a Twilio Auth Token comes from a file or stdin,
// never argv. What the CLI seals, the running server opens (one key for both).
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CliEnvironment, createCliEnvironment } from '../../../test-support/cli.js';
import { call } from '../../../test-support/http.js';
import { describeEachDialect } from '../../../test-support/services.js';

const PUBLIC_URL = 'https://otp.example.test';

describeEachDialect('agent-otp source:create for SMS providers', (dialect) => {
  let cli: CliEnvironment;
  let server: Awaited<ReturnType<CliEnvironment['serve']>>;

  beforeAll(async () => {
    cli = await createCliEnvironment(dialect, { PUBLIC_URL });
    server = await cli.serve();
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await cli?.cleanup();
  }, 120_000);

  it('creates an SMS Gateway source whose signing key the server accepts', async () => {
    const result = await cli.run([
      'source:create',
      '--kind',
      'sms',
      '--provider',
      'sms-gateway',
      '--name',
      'Pixel',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const created = JSON.parse(result.stdout);
    expect(created.token).toMatch(/^cs_/);
    expect(created.signingSecret).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(created.webhookUrl).toBe(`${PUBLIC_URL}/api/v1/sms/sms-gateway/${created.source.id}`);
    expect(created.setup.fields.map((f: { value: string }) => f.value)).toContain('sms:received');
    const body = JSON.stringify({ event: 'system:ping', id: 'ping-cli', payload: {} });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const ping = await call(server.url, `/api/v1/sms/sms-gateway/${created.source.id}`, {
      raw: body,
      headers: {
        'content-type': 'application/json',
        'x-timestamp': timestamp,
        'x-signature': createHmac('sha256', created.signingSecret)
          .update(body + timestamp)
          .digest('hex'),
      },
    });
    expect(ping.status).toBe(200);
    const human = await cli.run([
      'source:create',
      '--kind',
      'sms',
      '--provider',
      'sms-gateway',
      '--name',
      'Pixel 2',
    ]);
    expect(human.stdout).toMatch(/Signing key \(shown once, store it now\): [A-Za-z0-9]{32}/);
    expect(human.stdout).toContain('Webhook URL: https://otp.example.test/api/v1/sms/sms-gateway/src_');
  }, 120_000);

  it('reads a Twilio Auth Token from stdin or a file, never argv, and refuses it missing', async () => {
    const token = 'f3b1c2d4e5f60718293a4b5c6d7e8f90';
    const fromStdin = await cli.run(
      [
        'source:create',
        '--kind',
        'sms',
        '--provider',
        'twilio',
        '--name',
        'Twilio',
        '--twilio-auth-token-file',
        '-',
        '--json',
      ],
      `${token}\n`,
    );
    expect(fromStdin.code).toBe(0);
    const created = JSON.parse(fromStdin.stdout);
    expect(created.source.provider).toBe('twilio');
    expect(fromStdin.stdout).not.toContain(token);
    const file = join(cli.env.DATA_DIR as string, 'twilio-token.txt');
    writeFileSync(file, token, { mode: 0o600 });
    expect(
      (
        await cli.run([
          'source:create',
          '--kind',
          'sms',
          '--provider',
          'twilio',
          '--name',
          'T2',
          '--twilio-auth-token-file',
          file,
        ])
      ).code,
    ).toBe(0);
    const missing = await cli.run(['source:create', '--kind', 'sms', '--provider', 'twilio', '--name', 'T3']);
    expect(missing.code).toBe(2); // usage
    expect(missing.stderr).toMatch(/--twilio-auth-token-file: twilioAuthToken is required/);
  }, 120_000);

  it('takes a Telnyx public key, a signed generic source, and lists provider and counts', async () => {
    const key = generateKeyPairSync('ed25519')
      .publicKey.export({ format: 'der', type: 'spki' })
      .subarray(12)
      .toString('base64');
    expect(
      (
        await cli.run([
          'source:create',
          '--kind',
          'sms',
          '--provider',
          'telnyx',
          '--name',
          'Telnyx',
          '--telnyx-public-key',
          key,
        ])
      ).code,
    ).toBe(0);
    const wrong = await cli.run([
      'source:create',
      '--kind',
      'sms',
      '--provider',
      'generic',
      '--name',
      'G',
      '--telnyx-public-key',
      key,
    ]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--telnyx-public-key: telnyxPublicKey applies to provider telnyx only/);
    const signed = JSON.parse(
      (
        await cli.run([
          'source:create',
          '--kind',
          'sms',
          '--provider',
          'generic',
          '--signed',
          '--name',
          'Shortcut',
          '--json',
        ])
      ).stdout,
    );
    expect(signed.source.signed).toBe(true);
    expect(signed.signingSecret).toBeDefined();
    const listed = await cli.run(['source:list']);
    expect(listed.stdout).toMatch(/sms\/telnyx {2}Telnyx/);
    expect(listed.stdout).toMatch(/0 messages/);
  }, 120_000);
});
