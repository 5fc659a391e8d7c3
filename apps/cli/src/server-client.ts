import type { Config } from '@agent-otp/config';
import type { CoreContext, Owner } from '@agent-otp/core';
import { CliError } from './cli-error.js';

const CODE_BY_STATUS: Record<number, string> = {
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  502: 'SERVER_UNREACHABLE',
  503: 'SERVICE_UNAVAILABLE',
  504: 'SERVER_UNREACHABLE',
};

/** Where the running server is: --url, AGENT_OTP_URL, or localhost on PORT. */
export function serverUrl(config: Config, flag?: string): string {
  const url = flag ?? config.cli.serverUrl ?? `http://localhost:${config.port}`;
  try {
    return new URL(url).toString().replace(/\/+$/, '');
  } catch {
    throw new CliError(`--url / AGENT_OTP_URL is not a URL: ${url}`, 'USAGE');
  }
}

/**
 * Calls the running server as the owner. The CLI mints a short-lived owner token straight
 * in the database (it can open it, so it is already trusted as the owner) and then goes
 * through the server, so waiting agents wake at once.
 */
export async function callServerAsOwner<T>(
  ctx: CoreContext,
  owner: Owner,
  baseUrl: string,
  path: string,
  init: { method: 'GET' | 'POST' | 'DELETE'; body?: unknown },
): Promise<T> {
  // Loaded here, not at the top: command files import this module while registering.
  const { createOwnerToken } = await import('@agent-otp/core');
  const token = await createOwnerToken(ctx, owner.id, 120);
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      method: init.method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    const reason = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new CliError(
      `cannot reach the Agent OTP server at ${baseUrl} (${reason}); start it with \`npm start\` or pass --url`,
      'SERVER_UNREACHABLE',
    );
  }
  const body = (await response.json().catch(() => undefined)) as
    | { error?: { code: string; message: string } }
    | undefined;
  if (!response.ok) {
    if (body?.error) throw new CliError(`${body.error.code}: ${body.error.message}`, body.error.code);
    // Not the relay's JSON (a proxy in front of it, say): the status still says what kind of failure.
    throw new CliError(`HTTP ${response.status} from ${baseUrl}`, CODE_BY_STATUS[response.status]);
  }
  return body as T;
}
