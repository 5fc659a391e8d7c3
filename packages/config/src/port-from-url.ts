// One setting for "where the relay is": AGENT_OTP_URL is what the CLI and every SDK read,
// so `serve` listens on its port too unless PORT says otherwise (issue 17).

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/**
 * The port written in an http(s) URL, or `undefined` when the URL names none (or is not an
 * http(s) URL: the CLI reports that where it uses the URL). A port equal to the scheme's
 * default counts: WHATWG URL drops `:80` from `http://host:80`, but the user wrote it.
 *
 * @example
 * explicitPortOf('http://localhost:9000'); // 9000
 * explicitPortOf('https://relay.example'); // undefined
 */
export function explicitPortOf(url: string): number | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const schemeDefault = DEFAULT_PORTS[parsed.protocol];
  if (schemeDefault === undefined) return undefined;
  if (parsed.port !== '') return Number(parsed.port);
  // Authority = after "//", up to the first "/", "?" or "#"; a port is ":digits" at its end.
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url.trim())?.[1] ?? '';
  return /:\d+$/.test(authority) ? schemeDefault : undefined;
}

/**
 * The environment with PORT filled from AGENT_OTP_URL's explicit port when PORT is unset;
 * `derivedPort` says whether that happened (for `config:check`). PORT always wins.
 *
 * @example
 * withPortFromUrl({ AGENT_OTP_URL: 'http://localhost:9000' }).env.PORT; // '9000'
 */
export function withPortFromUrl(env: Record<string, string>): {
  env: Record<string, string>;
  derivedPort: boolean;
} {
  if (env.PORT !== undefined || env.AGENT_OTP_URL === undefined) return { env, derivedPort: false };
  const port = explicitPortOf(env.AGENT_OTP_URL);
  if (port === undefined) return { env, derivedPort: false };
  return { env: { ...env, PORT: String(port) }, derivedPort: true };
}
