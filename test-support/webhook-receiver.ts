import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST a receiver got, exactly as it arrived. */
export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  raw: string;
  /** What the receiver answered. */
  answered: number;
  /** When the whole body had arrived (epoch ms). */
  receivedAt: number;
}

/**
 * A real HTTP server on 127.0.0.1 standing in for an agent's webhook endpoint: records every
 * POST with its raw body and answers with what `answer` says (default 200).
 */
export async function startWebhookReceiver(answer: (received: ReceivedWebhook[]) => number = () => 200) {
  const received: ReceivedWebhook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const entry: ReceivedWebhook = {
        headers: req.headers,
        raw: Buffer.concat(chunks).toString('utf8'),
        answered: 0,
        receivedAt: Date.now(),
      };
      entry.answered = answer(received);
      received.push(entry);
      res.writeHead(entry.answered, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}/hooks/otp`,
    received,
    /** Deliveries the receiver acknowledged with a 2xx, per event id. */
    acknowledged(): Map<string, number> {
      const counts = new Map<string, number>();
      for (const r of received)
        if (r.answered >= 200 && r.answered < 300) {
          const id = String(r.headers['x-otp-event-id']);
          counts.set(id, (counts.get(id) ?? 0) + 1);
        }
      return counts;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
