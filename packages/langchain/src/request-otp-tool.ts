import { tool } from '@langchain/core/tools';
import { CreateOtpRequestBody, OtpFilter } from '@orrisai/agent-otp-contract';
import {
  AgentOTPClient,
  type AgentOTPClientOptions,
  exportPrivateKey,
  exportPublicKey,
  generateKeyPair,
  importPrivateKey,
  type OTPFilter,
} from '@orrisai/agent-otp-sdk';
import { z } from 'zod';

const MAX_WAIT_SECONDS = 600;
const DEFAULT_WAIT_SECONDS = 120;

// The relay's own field schemas, so the tool refuses exactly what the relay would refuse.
const RequestOtpToolInput = z.strictObject({
  reason: CreateOtpRequestBody.shape.reason.describe(
    'Why you need the code, in one sentence the owner will read before approving, e.g. "Sign up for Acme website".',
  ),
  expectedSender: CreateOtpRequestBody.shape.expectedSender.describe(
    'Who will send the code, as the owner would recognise it (e.g. "Acme").',
  ),
  sources: OtpFilter.shape.sources.describe(
    'Where the code may come from: "sms", "email" or both (default both).',
  ),
  senderPattern: OtpFilter.shape.senderPattern,
  contentPattern: OtpFilter.shape.contentPattern,
  timeoutSeconds: z
    .number()
    .int()
    .min(1)
    .max(MAX_WAIT_SECONDS)
    .optional()
    .describe(`How long to wait for the approval and the code (default ${DEFAULT_WAIT_SECONDS} s).`),
});

export const REQUEST_OTP_TOOL_DESCRIPTION = [
  'Ask your owner (the human you work for) for ONE verification code (OTP) sent by SMS or email, e.g. to finish a sign-up or log-in.',
  'The owner sees your agent name, the reason, the expected sender and the filter, and approves or denies it.',
  'Ask the website to send the code first, then call this tool (messages from up to two minutes before count).',
  'Returns the code, or the status (denied, expired, pending_approval, approved) if no code came within the wait. The code is read once and erased from the relay: use it right away.',
].join(' ');

/** What the tool hands back besides the text for the model (LangChain's `artifact`). */
export interface RequestOtpArtifact {
  requestId: string;
  status: string;
  code?: string;
  sender?: string;
  source?: string;
  approvalUrl: string;
}

export interface RequestOtpToolOptions extends AgentOTPClientOptions {
  /** Use this client instead of building one from the options. */
  client?: AgentOTPClient | undefined;
}

/**
 * A LangChain tool, `request_otp`, that asks the owner for one verification code through an
 * Agent OTP relay and returns the code. The RSA key pair is generated inside the tool (the
 * private key re-imported non-extractable); the relay sees only the public key.
 *
 * @example
 * const requestOtp = createRequestOtpTool({ apiKey: process.env.AGENT_OTP_API_KEY });
 * const agent = createAgent({ model, tools: [requestOtp] });
 */
export function createRequestOtpTool(options: RequestOtpToolOptions = {}) {
  const { client: given, ...clientOptions } = options;
  const client = given ?? new AgentOTPClient(clientOptions);
  let keys: Promise<{ publicKey: string; privateKey: CryptoKey }> | undefined;
  const sessionKeys = () => {
    keys ??= (async () => {
      const pair = await generateKeyPair();
      return {
        publicKey: await exportPublicKey(pair.publicKey),
        privateKey: await importPrivateKey(await exportPrivateKey(pair.privateKey), { extractable: false }),
      };
    })();
    keys.catch(() => {
      keys = undefined;
    });
    return keys;
  };

  return tool(
    async (input, config): Promise<[string, RequestOtpArtifact]> => {
      const { publicKey, privateKey } = await sessionKeys();
      const filter: OTPFilter = {};
      if (input.sources !== undefined) filter.sources = input.sources;
      if (input.senderPattern !== undefined) filter.senderPattern = input.senderPattern;
      if (input.contentPattern !== undefined) filter.contentPattern = input.contentPattern;
      const request = await client.requestOTP({
        reason: input.reason,
        ...(input.expectedSender === undefined ? {} : { expectedSender: input.expectedSender }),
        ...(Object.keys(filter).length === 0 ? {} : { filter }),
        publicKey,
        waitForOTP: true,
        timeout: (input.timeoutSeconds ?? DEFAULT_WAIT_SECONDS) * 1000,
        signal: config?.signal,
      });
      const facts = { requestId: request.id, approvalUrl: request.approvalUrl };
      if (request.status !== 'otp_received')
        return [`No code: request ${request.id} is ${request.status}.`, { ...facts, status: request.status }];
      const { code, metadata } = await client.consumeOTP(request.id, privateKey);
      return [
        `Verification code: ${code} (from ${metadata.sender} via ${metadata.source}). It has been erased from the relay; use it now.`,
        { ...facts, status: 'consumed', code, sender: metadata.sender, source: metadata.source },
      ];
    },
    {
      name: 'request_otp',
      description: REQUEST_OTP_TOOL_DESCRIPTION,
      schema: RequestOtpToolInput,
      responseFormat: 'content_and_artifact',
    },
  );
}
