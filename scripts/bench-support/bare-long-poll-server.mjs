// The baseline the waiter benchmark compares the relay with: a long-poll on bare node:http,
// in its own process like `agent-otp serve`. GET /wait/<id> holds the response (with its own
// cap timer, as any long-poll needs); POST /deliver/<id> reads its body and answers that
// waiter. Plain JavaScript so no loader's memory is counted in its RSS.
import { createServer } from 'node:http';

const waiters = new Map();
const server = createServer((req, res) => {
  const [, action, id] = req.url.split('/');
  if (req.method === 'GET' && action === 'wait') {
    const cap = setTimeout(() => answer(id, 'approved'), 60_000);
    waiters.set(id, { res, cap });
    res.on('close', () => {
      clearTimeout(cap);
      waiters.delete(id);
    });
    return;
  }
  if (req.method === 'POST' && action === 'deliver') {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      answer(id, 'otp_received');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    return;
  }
  res.writeHead(404).end();
});

function answer(id, status) {
  const waiter = waiters.get(id);
  if (!waiter) return;
  waiters.delete(id);
  clearTimeout(waiter.cap);
  waiter.res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id, status }));
}

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${server.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
