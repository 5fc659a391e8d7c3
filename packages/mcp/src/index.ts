/**
 * `@orrisai/agent-otp-mcp`: an MCP server that lets an agent's host (Claude, Cursor, VS Code …)
 * ask its owner for one verification code or one permission through an Agent OTP relay.
 * The agent's RSA key pair is generated inside this process; the relay sees only the public key.
 *
 * @example
 * import { AgentSession, serveAgentOtpHttp } from '@orrisai/agent-otp-mcp';
 * const http = await serveAgentOtpHttp(new AgentSession({ apiKey: 'ak_live_…' }), { host: '127.0.0.1', port: 8788 });
 */
export { AgentSession, type SessionKeys } from './agent-session.js';
export { main } from './cli.js';
export { type HttpServeOptions, MCP_HTTP_PATH, type RunningHttpServer, serveAgentOtpHttp } from './http.js';
export { DEFAULT_HTTP_HOST, DEFAULT_HTTP_PORT, parsePort } from './options.js';
export { type McpRunOptions, runAgentOtpMcp } from './run.js';
export { createAgentOtpMcpServer, MCP_SERVER_VERSION } from './server.js';
export { serveAgentOtpStdio } from './stdio.js';
export { TOOL_DESCRIPTIONS } from './tool-descriptions.js';
export * from './tool-schemas.js';
