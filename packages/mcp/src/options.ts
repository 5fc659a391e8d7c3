/**
 * The command-line defaults and checks, in a module of their own so a CLI can describe its
 * flags without loading the MCP SDK (`@orrisai/agent-otp-mcp/options`).
 */
export const DEFAULT_HTTP_PORT = 8788;
export const DEFAULT_HTTP_HOST = '127.0.0.1';

/**
 * Reads a port flag: a whole number from 0 to 65535.
 *
 * @example
 * parsePort('8788'); // 8788
 */
export function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(port) || port > 65_535)
    throw new Error(`--port must be a whole number from 0 to 65535, got "${text}"`);
  return port;
}
