import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleGmail, isGmailRoute } from './fake-gmail-api.js';
import { FakeGmailMailbox } from './fake-gmail-mailbox.js';
import { handleAuthorize, handleToken } from './fake-google-oauth.js';
import { FakeGoogleTokens } from './fake-google-tokens.js';
import { GMAIL_READONLY_SCOPE } from './google-wire.js';

export interface RecordedRequest {
  method: string;
  path: string;
  /** Repeated parameters (historyTypes, metadataHeaders…) are joined with commas. */
  query: Record<string, string>;
  auth?: string;
}

export interface FakeGoogle {
  url: string;
  /** POST, application/x-www-form-urlencoded (JSON also accepted, as Google does). */
  tokenUrl: string;
  /** GET; consents at once with a 302 to the loopback redirect_uri. */
  authUrl: string;
  gmailUrl: string;
  clientId: string;
  clientSecret: string;
  emailAddress: string;
  /** A refresh token for gmail.readonly, as if the owner had already connected the account. */
  refreshToken: string;
  /** Adds a message (default label INBOX) and one messagesAdded history record. */
  addMessage(raw: string, labelIds?: string[]): { id: string; threadId: string; historyId: string };
  /** From now on history.list with a startHistoryId older than the current one answers 404. */
  expireHistory(): void;
  /** Lifetime of access tokens issued from now on (0 = already expired when issued). */
  setAccessTokenTtl(seconds: number): void;
  /** The user revoked access: refresh → invalid_grant, and existing access tokens → 401. */
  revokeRefreshToken(): void;
  requests(): RecordedRequest[];
  close(): Promise<void>;
}

/**
 * Starts a stand-in for accounts.google.com/oauth2.googleapis.com and the Gmail API on
 * 127.0.0.1, speaking their JSON. `pageSize` caps history/messages pages to force pagination.
 *
 * @example
 * const google = await startFakeGoogle({ pageSize: 2 });
 * google.addMessage(buildMessage({ from: 'a@b.example', subject: 'Code', text: '123456' }));
 * const token = await fetch(google.tokenUrl, { method: 'POST', body: new URLSearchParams({ … }) });
 */
export async function startFakeGoogle(opts: { pageSize?: number } = {}): Promise<FakeGoogle> {
  const client = {
    clientId: `${randomBytes(6).readUIntBE(0, 6)}-fake.apps.googleusercontent.com`,
    clientSecret: `GOCSPX-${randomBytes(21).toString('base64url')}`,
  };
  const emailAddress = 'owner@gmail.test';
  const mailbox = new FakeGmailMailbox();
  const tokens = new FakeGoogleTokens();
  const gmail = { mailbox, tokens, emailAddress, pageSize: opts.pageSize ?? Number.POSITIVE_INFINITY };
  const log: RecordedRequest[] = [];

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    log.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(
        [...new Set(url.searchParams.keys())].map((k) => [k, url.searchParams.getAll(k).join(',')]),
      ),
      ...(req.headers.authorization !== undefined && { auth: req.headers.authorization }),
    });
    if (url.pathname === '/o/oauth2/v2/auth' && req.method === 'GET')
      return handleAuthorize(url, res, client, tokens);
    if (url.pathname === '/token' && req.method === 'POST') return handleToken(req, res, client, tokens);
    if (isGmailRoute(url.pathname)) return handleGmail(req, res, url, gmail);
    res.writeHead(404, { 'content-type': 'text/html; charset=UTF-8' });
    res.end('<!doctype html><title>Error 404 (Not Found)</title><p>404. That’s an error.');
  };
  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      // A bug in the fake must fail the test loudly, not hang the client.
      console.error('fake-google handler failed', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake-google handler failed: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    tokenUrl: `${url}/token`,
    authUrl: `${url}/o/oauth2/v2/auth`,
    gmailUrl: `${url}/gmail/v1`,
    ...client,
    emailAddress,
    refreshToken: tokens.issueRefreshToken(GMAIL_READONLY_SCOPE),
    addMessage: (raw, labelIds = ['INBOX']) => {
      const message = mailbox.add(raw, labelIds);
      return { id: message.id, threadId: message.threadId, historyId: message.historyId };
    },
    expireHistory: () => mailbox.expireHistory(),
    setAccessTokenTtl: (seconds) => {
      tokens.accessTokenTtlSeconds = seconds;
    },
    revokeRefreshToken: () => tokens.revokeAll(),
    requests: () => log.map((r) => ({ ...r, query: { ...r.query } })),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections(); // keep-alive sockets from fetch() would hold close() open
      }),
  };
}
