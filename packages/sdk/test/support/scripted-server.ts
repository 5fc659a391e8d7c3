import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer: what the stand-in does with the Nth request it receives. */
export type Step = (req: IncomingMessage, res: ServerResponse) => void;

export interface Hit {
  method: string;
  url: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
}

/**
 * A tiny HTTP stand-in on 127.0.0.1 that answers requests with a script of steps, in
 * order (the last step repeats), and records every request it received. It tests the
 * client's retry policy, which needs failures the real relay does not produce on demand.
 */
export interface ScriptedServer {
  url: string;
  hits: Hit[];
  script(steps: Step[]): void;
  close(): Promise<void>;
}

export async function startScriptedServer(): Promise<ScriptedServer> {
  let steps: Step[] = [];
  const hits: Hit[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      hits.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        contentType: req.headers['content-type'],
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const step = steps[Math.min(hits.length - 1, steps.length - 1)];
      if (!step) throw new Error('no step scripted');
      step(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    script(next) {
      steps = next;
      hits.length = 0;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const OTP_ID = 'otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N';

/** A well-formed OtpRequest body. */
export const otpRequestBody = (status = 'pending_approval') => ({
  id: OTP_ID,
  status,
  reason: 'retry test',
  expectedSender: null,
  filter: { sources: ['sms', 'email'], senderPattern: null, contentPattern: null },
  keyFingerprint: 'a'.repeat(64),
  approvalUrl: `http://127.0.0.1/approvals/${OTP_ID}`,
  isTest: false,
  createdAt: '2026-01-30T12:00:00.000Z',
  expiresAt: '2026-01-30T12:05:00.000Z',
  decision: null,
  otpReceivedAt: null,
  consumedAt: null,
});

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Step {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'req-scripted', ...headers });
    res.end(JSON.stringify(body));
  };
}

export function apiError(status: number, code: string, headers: Record<string, string> = {}): Step {
  return json(status, { error: { code, message: `scripted ${code}`, requestId: 'req-scripted' } }, headers);
}

/** Drops the connection without an answer, after the request arrived. */
export const dropConnection: Step = (req) => {
  req.socket.destroy();
};

/** Never answers (until the server closes). */
export const hang: Step = () => {};
