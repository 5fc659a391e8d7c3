import type { IncomingMessage, ServerResponse } from 'node:http';

// Response shapes copied from what Google really sends, because the connector must tell
// "refresh and retry" (401), "re-consent" (invalid_grant) and "full resync" (404) apart.

export const GMAIL_READONLY_SCOPE = 'https://www.googleapis.com/auth/gmail.readonly';
/** Scopes that allow users.messages.get with format=raw. */
export const GMAIL_READ_SCOPES = [
  GMAIL_READONLY_SCOPE,
  'https://www.googleapis.com/auth/gmail.modify',
  'https://mail.google.com/',
];

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
  res.end(JSON.stringify(body, null, 2));
}

/** Token endpoint errors (RFC 6749 §5.2): 400, or 401 for a bad client. No caching, as Google says. */
export function sendOAuthError(res: ServerResponse, status: 400 | 401, error: string, description: string) {
  sendJson(
    res,
    status,
    { error, error_description: description },
    { 'cache-control': 'no-store', pragma: 'no-cache' },
  );
}

/** Google API error envelope (https://cloud.google.com/apis/design/errors, plus the legacy `errors` array). */
export function sendApiError(
  res: ServerResponse,
  code: number,
  status: string,
  message: string,
  errors: Array<Record<string, string>>,
  headers: Record<string, string> = {},
) {
  sendJson(res, code, { error: { code, message, errors, status } }, headers);
}

export function sendUnauthenticated(res: ServerResponse, missing: boolean) {
  const realm = 'Bearer realm="https://accounts.google.com/"';
  if (missing) {
    sendApiError(
      res,
      401,
      'UNAUTHENTICATED',
      'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
      [
        {
          message: 'Login Required.',
          domain: 'global',
          reason: 'required',
          location: 'Authorization',
          locationType: 'header',
        },
      ],
      { 'www-authenticate': realm },
    );
    return;
  }
  sendApiError(
    res,
    401,
    'UNAUTHENTICATED',
    'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    [
      {
        message: 'Invalid Credentials',
        domain: 'global',
        reason: 'authError',
        location: 'Authorization',
        locationType: 'header',
      },
    ],
    { 'www-authenticate': `${realm}, error="invalid_token"` },
  );
}

export function sendNotFound(res: ServerResponse) {
  const message = 'Requested entity was not found.';
  sendApiError(res, 404, 'NOT_FOUND', message, [{ message, domain: 'global', reason: 'notFound' }]);
}

export function sendInvalidArgument(res: ServerResponse, message: string) {
  sendApiError(res, 400, 'INVALID_ARGUMENT', message, [
    { message, domain: 'global', reason: 'invalidArgument' },
  ]);
}

export function sendForbidden(res: ServerResponse, message: string, reason: string) {
  sendApiError(res, 403, 'PERMISSION_DENIED', message, [{ message, domain: 'global', reason }]);
}

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  // Google's token endpoint also accepts JSON bodies; client libraries send either.
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    return new URLSearchParams(JSON.parse(body || '{}') as Record<string, string>);
  }
  return new URLSearchParams(body);
}
