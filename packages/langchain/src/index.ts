/**
 * `@orrisai/agent-otp-langchain`: a LangChain.js tool that asks the owner for one
 * verification code through an Agent OTP relay, with the key pair generated inside it.
 *
 * @example
 * import { createRequestOtpTool } from '@orrisai/agent-otp-langchain';
 * const requestOtp = createRequestOtpTool({ apiKey: process.env.AGENT_OTP_API_KEY });
 */
export {
  createRequestOtpTool,
  REQUEST_OTP_TOOL_DESCRIPTION,
  type RequestOtpArtifact,
  type RequestOtpToolOptions,
} from './request-otp-tool.js';
