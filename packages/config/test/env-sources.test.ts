// Issue 17 (configuration): where settings come from besides the environment: the working
// directory's `.env`, `<NAME>_FILE` secret files, and the masked report config:check prints.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  configVariables,
  describeConfig,
  FILE_SECRET_VARIABLES,
  loadConfig,
  readDotenvFile,
  SECRET_VARIABLES,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'agent-otp-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BOT_TOKEN = '123456:abcdefghijklmnopqrstuvwxyz';
let fileCount = 0;
function secretFile(content: string): string {
  const path = join(dir, `secret-${fileCount++}`);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}

function configErrorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('<NAME>_FILE secrets', () => {
  it('reads every secret but the audit key (which has its own AUDIT_KEY_FILE) from a file', () => {
    expect(FILE_SECRET_VARIABLES).not.toContain('AUDIT_KEY');
    for (const name of SECRET_VARIABLES) expect(Object.keys(configVariables)).toContain(name);
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN_FILE: secretFile(`${BOT_TOKEN}\n`),
      DATABASE_URL_FILE: secretFile('postgres://relay:pw@db.test/agent_otp\n'),
      IMAP_HOST: 'mail.test',
      IMAP_USER: 'me',
      IMAP_PASSWORD_FILE: secretFile('  spaces kept  \r\n'),
      GMAIL_CLIENT_ID: 'client',
      GMAIL_CLIENT_SECRET_FILE: secretFile('gsecret'),
      AGENT_OTP_SOURCE_TOKEN_FILE: secretFile('src_token\n'),
    });
    expect(config.telegram.botToken).toBe(BOT_TOKEN);
    expect(config.databaseUrl).toBe('postgres://relay:pw@db.test/agent_otp');
    expect(config.email.imap?.password).toBe('  spaces kept  ');
    expect(config.email.gmail.clientSecret).toBe('gsecret');
    expect(config.email.sourceToken).toBe('src_token');
  });

  it('removes exactly one trailing newline', () => {
    const config = loadConfig({ AGENT_OTP_SOURCE_TOKEN_FILE: secretFile('token\n\n') });
    expect(config.email.sourceToken).toBe('token\n');
  });

  it('refuses both forms, a missing file and an empty one, naming the _FILE variable', () => {
    const message = configErrorOf(() =>
      loadConfig({
        TELEGRAM_BOT_TOKEN: BOT_TOKEN,
        TELEGRAM_BOT_TOKEN_FILE: secretFile(BOT_TOKEN),
        DATABASE_URL_FILE: join(dir, 'missing'),
        GMAIL_CLIENT_ID: 'client',
        GMAIL_CLIENT_SECRET_FILE: secretFile('\n'),
        PORT: 'eighty',
      }),
    );
    expect(message).toContain(
      'TELEGRAM_BOT_TOKEN_FILE: set TELEGRAM_BOT_TOKEN or TELEGRAM_BOT_TOKEN_FILE, not both',
    );
    expect(message).toContain(`DATABASE_URL_FILE: cannot read ${join(dir, 'missing')} (ENOENT)`);
    expect(message).toContain('GMAIL_CLIENT_SECRET_FILE:');
    expect(message).toContain('is empty');
    // The schema's own problems are reported in the same error.
    expect(message).toContain('PORT:');
    expect(message).not.toContain(BOT_TOKEN);
  });

  it('checks a value read from a file like any other, without echoing it', () => {
    const message = configErrorOf(() => loadConfig({ TELEGRAM_BOT_TOKEN_FILE: secretFile('not-a-token\n') }));
    expect(message).toContain('TELEGRAM_BOT_TOKEN: does not look like a bot token');
    expect(message).not.toContain('not-a-token');
  });
});

describe('.env files', () => {
  it("parses Node's .env syntax: comments, quotes, export, empty values", () => {
    const path = join(dir, 'syntax.env');
    writeFileSync(
      path,
      [
        '# a comment',
        'PORT=9100',
        'export HOST=0.0.0.0',
        'PUBLIC_URL="https://otp.example.com"',
        'IMAP_HOST=',
        '',
      ].join('\n'),
    );
    const variables = readDotenvFile(path);
    expect(variables).toMatchObject({ PORT: '9100', HOST: '0.0.0.0', PUBLIC_URL: 'https://otp.example.com' });
    const config = loadConfig(variables ?? {});
    expect(config).toMatchObject({ port: 9100, host: '0.0.0.0', publicUrl: 'https://otp.example.com' });
    expect(config.email.imap).toBeUndefined();
  });

  it('is optional, but one that cannot be read is an error', () => {
    expect(readDotenvFile(join(dir, 'absent.env'))).toBeUndefined();
    expect(configErrorOf(() => readDotenvFile(dir))).toContain('.env: cannot read');
  });
});

describe('describeConfig: the effective configuration and where each value came from', () => {
  const tokenFile = secretFile(`${BOT_TOKEN}\n`);
  const report = describeConfig({
    flags: { IMAP_HOST: undefined, LOG_LEVEL: 'debug' },
    env: { PORT: '9200', HOST: '', PATH: '/usr/bin', LOG_LEVEL: 'warn' },
    dotenv: {
      PORT: '9300',
      HOST: '0.0.0.0',
      LOOKBACK_SECONDS: '60',
      DATABASE_URL: 'postgres://relay:hunter2@db.test:5432/agent_otp?sslpassword=pw2',
      TELEGRAM_BOT_TOKEN_FILE: tokenFile,
    },
  });
  const entry = (name: string) => report.entries.find((e) => e.name === name);

  it('lets flags win over the environment, and the environment over .env', () => {
    expect(report.config.port).toBe(9200);
    expect(entry('PORT')).toMatchObject({ value: '9200', source: 'env' });
    expect(entry('LOG_LEVEL')).toMatchObject({ value: 'debug', source: 'flag' });
    expect(entry('LOOKBACK_SECONDS')).toMatchObject({ value: '60', source: '.env' });
    // An empty real variable wins over .env and means "unset", so the default applies.
    expect(entry('HOST')).toMatchObject({ value: '127.0.0.1', source: 'default' });
  });

  it('names defaults, unset variables and values read from files', () => {
    expect(entry('RATE_LIMIT_BURST')).toMatchObject({ value: '120', source: 'default' });
    expect(entry('TRUST_PROXY')).toMatchObject({ value: 'false', source: 'default' });
    expect(entry('IMAP_HOST')).toMatchObject({ value: null, source: 'unset' });
    expect(entry('TELEGRAM_BOT_TOKEN')).toMatchObject({
      value: '****',
      secret: true,
      source: 'file',
      detail: `TELEGRAM_BOT_TOKEN_FILE (.env): ${tokenFile}`,
    });
    expect(report.config.telegram.botToken).toBe(BOT_TOKEN);
  });

  it('lists every schema variable once, never a foreign one, and masks every secret', () => {
    expect(report.entries.map((e) => e.name)).toEqual(Object.keys(configVariables));
    const printed = JSON.stringify(report.entries);
    expect(printed).not.toContain('hunter2');
    expect(printed).not.toContain('pw2');
    expect(printed).not.toContain(BOT_TOKEN.split(':')[1]);
    expect(printed).not.toContain('PATH');
    expect(entry('DATABASE_URL')?.value).toBe(
      'postgres://relay:****@db.test:5432/agent_otp?sslpassword=****',
    );
  });
});
