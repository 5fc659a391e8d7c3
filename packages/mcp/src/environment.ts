/**
 * The one place this package reads its environment (the SDK reads AGENT_OTP_API_KEY and
 * AGENT_OTP_URL itself). Empty values count as unset.
 *
 * @example
 * mcpEnvironment().httpToken; // AGENT_OTP_MCP_TOKEN or undefined
 */
export function mcpEnvironment(): { httpToken: string | undefined } {
  const token = process.env.AGENT_OTP_MCP_TOKEN?.trim();
  return { httpToken: token === '' ? undefined : token };
}
