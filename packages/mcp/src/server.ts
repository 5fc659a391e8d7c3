import { type CallToolResult, McpServer } from '@modelcontextprotocol/server';
import { AgentOTPError } from '@orrisai/agent-otp-sdk';
import type { AgentSession } from './agent-session.js';
import { TOOL_DESCRIPTIONS } from './tool-descriptions.js';
import {
  cancelRequest,
  getRequestStatus,
  requestOtp,
  requestPermission,
  type ToolOutput,
} from './tool-handlers.js';
import {
  CancelRequestInput,
  GetRequestStatusInput,
  RequestOtpInput,
  RequestPermissionInput,
} from './tool-schemas.js';

/** The package version, as hosts see it in `serverInfo`. */
export const MCP_SERVER_VERSION = '0.1.0';

function toolResult(output: ToolOutput): CallToolResult {
  return { content: [{ type: 'text', text: output.summary }], structuredContent: output.data };
}

/**
 * A failed call comes back to the model as a tool error carrying the SDK's message (and
 * its code), never as a crash of the server or a protocol error it cannot read.
 */
function toolError(error: unknown): CallToolResult {
  const message =
    error instanceof AgentOTPError
      ? `${error.code}: ${error.message}`
      : error instanceof Error
        ? error.message
        : String(error);
  return { content: [{ type: 'text', text: message }], isError: true };
}

async function run(work: () => Promise<ToolOutput>): Promise<CallToolResult> {
  try {
    return toolResult(await work());
  } catch (error) {
    return toolError(error);
  }
}

/**
 * Builds the MCP server for one agent: four tools over one {@link AgentSession}. The same
 * session (its key pair and the requests it made) backs every server instance the
 * transports create, so a code can be read by a later call.
 *
 * @example
 * const server = createAgentOtpMcpServer(new AgentSession({ apiKey: 'ak_live_…' }));
 */
export function createAgentOtpMcpServer(session: AgentSession): McpServer {
  const server = new McpServer(
    { name: 'agent-otp', title: 'Agent OTP', version: MCP_SERVER_VERSION },
    { capabilities: { tools: {} } },
  );
  server.registerTool(
    'request_otp',
    {
      title: 'Ask the owner for a verification code',
      description: TOOL_DESCRIPTIONS.request_otp,
      inputSchema: RequestOtpInput,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      },
    },
    (input, ctx) => run(() => requestOtp(session, input, ctx.mcpReq.signal)),
  );
  server.registerTool(
    'request_permission',
    {
      title: 'Ask the owner for a one-time permission',
      description: TOOL_DESCRIPTIONS.request_permission,
      inputSchema: RequestPermissionInput,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      },
    },
    (input, ctx) => run(() => requestPermission(session, input, ctx.mcpReq.signal)),
  );
  server.registerTool(
    'get_request_status',
    {
      title: 'Check an OTP or permission request',
      description: TOOL_DESCRIPTIONS.get_request_status,
      inputSchema: GetRequestStatusInput,
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: false,
        openWorldHint: true,
      },
    },
    (input, ctx) => run(() => getRequestStatus(session, input, ctx.mcpReq.signal)),
  );
  server.registerTool(
    'cancel_request',
    {
      title: 'Withdraw an OTP or permission request',
      description: TOOL_DESCRIPTIONS.cancel_request,
      inputSchema: CancelRequestInput,
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    },
    (input) => run(() => cancelRequest(session, input)),
  );
  return server;
}
