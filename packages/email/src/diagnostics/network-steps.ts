import { lookup } from 'node:dns/promises';
import { isIP, type Socket, connect as tcpConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { StepFailure, type StepOutcome, seconds, withinDeadline } from './step-outcome.js';

/** DNS: the host's addresses (an IP literal is its own address). */
export async function resolveHost(host: string, timeoutMs: number): Promise<StepOutcome<string[]>> {
  if (isIP(host)) return { ok: true, message: `${host} is an IP address (no lookup needed).`, value: [host] };
  try {
    const found = await withinDeadline(
      timeoutMs,
      `Looking up ${host} took longer than ${seconds(timeoutMs)}: the relay's DNS resolver does not answer; check the network of the machine running the relay.`,
      () => lookup(host, { all: true }),
      () => {},
    );
    const addresses = found.map((entry) => entry.address);
    return { ok: true, message: `${host} resolves to ${addresses.join(', ')}.`, value: addresses };
  } catch (error) {
    if (error instanceof StepFailure) return { ok: false, message: error.message };
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTFOUND' || code === 'ENODATA')
      return {
        ok: false,
        message: `No server is named ${host}: check the spelling of the IMAP server name (for example imap.gmail.com), or pick a preset.`,
      };
    return {
      ok: false,
      message: `Could not look up ${host} (${code ?? 'DNS error'}): the relay's DNS resolver failed; try again, or check the network of the machine running the relay.`,
    };
  }
}

/** TCP: something accepts connections on the port. Tries each address until one answers. */
export async function connectTcp(
  host: string,
  addresses: string[],
  port: number,
  timeoutMs: number,
): Promise<StepOutcome<string>> {
  let lastFailure = '';
  for (const address of addresses) {
    const socket = tcpConnect({ host: address, port }).on('error', ignoreLateError);
    try {
      await withinDeadline(
        timeoutMs,
        `${host}:${port} did not answer within ${seconds(timeoutMs)}: a firewall drops the connection or the port is wrong (IMAP uses 993 with TLS, 143 without).`,
        () => once(socket, 'connect'),
        () => socket.destroy(),
      );
      socket.destroy();
      return {
        ok: true,
        message: `Connected to ${host}:${port}${address === host ? '' : ` (${address})`}.`,
        value: address,
      };
    } catch (error) {
      socket.destroy();
      lastFailure = tcpFailure(error, host, port);
    }
  }
  return { ok: false, message: lastFailure };
}

function tcpFailure(error: unknown, host: string, port: number): string {
  if (error instanceof StepFailure) return error.message;
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED')
    return `Nothing is listening on ${host}:${port} (connection refused): check the port (IMAP uses 993 with TLS, 143 without) and that the server is running.`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return `${host}:${port} cannot be reached from the relay (${code}): check the server name and the relay's network.`;
  return `Could not connect to ${host}:${port} (${code ?? 'network error'}).`;
}

export type TlsMode = 'implicit' | 'starttls' | 'none';

/**
 * TLS: the handshake the connector will make, done once on its own so that what fails is
 * named: an untrusted or expired certificate, a certificate for another name, or a plain
 * server where TLS was expected (and the reverse). `none` is accepted only on loopback.
 */
export async function checkTls(input: {
  host: string;
  address: string;
  port: number;
  tls: TlsMode;
  caPem: string | undefined;
  timeoutMs: number;
}): Promise<StepOutcome<null>> {
  const { host, address, port, tls, timeoutMs } = input;
  const where = `${host}:${port}`;
  if (tls === 'none') {
    if (!isLoopback(address))
      return {
        ok: false,
        message: `Plain IMAP without TLS would send the password in clear: it is allowed only to a server on the relay's own machine. Choose TLS (port 993) or STARTTLS (port 143).`,
      };
    const greeting = await readPlainGreeting(address, port, where, timeoutMs);
    if (!greeting.ok) return greeting;
    // The greeting was all this step needed; an open socket would keep the relay's process alive.
    greeting.value.destroy();
    return {
      ok: true,
      message: `No TLS (server on this machine): ${where} greets as an IMAP server.`,
      value: null,
    };
  }
  const plain = tls === 'starttls' ? await startTlsUpgrade(address, port, where, timeoutMs) : undefined;
  if (plain && !plain.ok) return plain;
  const socket = tlsConnect({
    ...(plain?.ok ? { socket: plain.value } : { host: address, port }),
    // Node refuses an IP address as SNI; the certificate is then checked against the IP.
    ...(isIP(host) ? {} : { servername: host }),
    ...(input.caPem ? { ca: [input.caPem] } : {}),
    minVersion: 'TLSv1.2',
    // Judged below from `authorized`, so the certificate can be described, not just refused.
    rejectUnauthorized: false,
  }).on('error', ignoreLateError);
  try {
    await withinDeadline(
      timeoutMs,
      `${where} accepted the connection but no TLS handshake completed within ${seconds(timeoutMs)}: the port may expect plain IMAP (choose STARTTLS on port 143), or the server is overloaded.`,
      () => once(socket, 'secureConnect'),
      () => socket.destroy(),
    );
    const certificate = socket.getPeerCertificate();
    const subject = certificateName(certificate.subject?.CN) ?? 'no name';
    const issuer =
      certificateName(certificate.issuer?.CN) ?? certificateName(certificate.issuer?.O) ?? 'unknown issuer';
    if (!socket.authorized)
      return {
        ok: false,
        message: certificateProblem(String(socket.authorizationError), {
          where,
          host,
          subject,
          issuer,
          altNames: certificate.subjectaltname,
          validTo: certificate.valid_to,
        }),
      };
    const version = socket.getProtocol() ?? 'TLS';
    return {
      ok: true,
      message: `${version.replace('TLSv', 'TLS ')}${tls === 'starttls' ? ' after STARTTLS' : ''}, certificate for ${subject} issued by ${issuer}, trusted.`,
      value: null,
    };
  } catch (error) {
    if (error instanceof StepFailure) return { ok: false, message: error.message };
    return { ok: false, message: tlsFailure(error, where) };
  } finally {
    socket.destroy();
    if (plain?.ok) plain.value.destroy();
  }
}

/** A certificate field can repeat (Node gives an array then); the names are joined. */
function certificateName(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

function certificateProblem(
  code: string,
  c: { where: string; host: string; subject: string; issuer: string; altNames?: string; validTo?: string },
): string {
  switch (code) {
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `The certificate of ${c.where} (for ${c.subject}, issued by ${c.issuer}) is not signed by an authority the relay trusts (${code}): use the provider's public IMAP server name. A server with a self-signed or private certificate works only as the operator's own mailbox, with its CA in IMAP_CA_FILE.`;
    case 'CERT_HAS_EXPIRED':
      return `The certificate of ${c.where} (for ${c.subject}) expired on ${c.validTo ?? 'an earlier date'}: the server's administrator must renew it.`;
    case 'CERT_NOT_YET_VALID':
      return `The certificate of ${c.where} (for ${c.subject}) is not valid yet: check the clock of the relay's machine, or the server's certificate.`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `The certificate of ${c.where} is for ${c.altNames ?? c.subject}, not for ${c.host}: use the server name the certificate names.`;
    default:
      return `The certificate of ${c.where} (for ${c.subject}, issued by ${c.issuer}) was refused (${code}).`;
  }
}

function tlsFailure(error: unknown, where: string): string {
  const { code, message } = error as NodeJS.ErrnoException;
  const text = `${code ?? ''} ${message}`;
  if (
    /wrong.version.number|packet.length.too.long|unknown.protocol|record.layer.failure|http.request/i.test(
      text,
    )
  )
    return `${where} answered without TLS: it is a plain IMAP port. Choose STARTTLS (or the TLS port, usually 993) instead of TLS on this port.`;
  if (code === 'ECONNRESET' || code === 'EPIPE')
    return `${where} closed the connection during the TLS handshake: the port may not speak TLS, or the server refuses TLS 1.2 and later.`;
  return `The TLS handshake with ${where} failed (${code ?? message}).`;
}

/** Reads the IMAP greeting on a plain connection, which is what tells a TLS-only port apart. */
async function readPlainGreeting(
  address: string,
  port: number,
  where: string,
  timeoutMs: number,
): Promise<StepOutcome<Socket>> {
  const socket = tcpConnect({ host: address, port }).on('error', ignoreLateError);
  try {
    const line = await withinDeadline(
      timeoutMs,
      `${where} sent no IMAP greeting within ${seconds(timeoutMs)}: the port probably expects TLS from the first byte. Choose TLS (usually port 993).`,
      async () => {
        await once(socket, 'connect');
        return readLine(socket);
      },
      () => socket.destroy(),
    );
    if (!/^\* (OK|PREAUTH)\b/i.test(line)) {
      socket.destroy();
      return {
        ok: false,
        message: line.startsWith('\u0016')
          ? `${where} speaks TLS from the first byte: choose TLS instead of STARTTLS or none.`
          : `${where} is not an IMAP server (its first line is not an IMAP greeting): check the port.`,
      };
    }
    return { ok: true, message: line, value: socket };
  } catch (error) {
    socket.destroy();
    if (error instanceof StepFailure) return { ok: false, message: error.message };
    return {
      ok: false,
      message: `${where} closed the connection before greeting (${(error as Error).message}).`,
    };
  }
}

/** Plain greeting, then `STARTTLS`: the socket handed back is ready for the handshake. */
async function startTlsUpgrade(
  address: string,
  port: number,
  where: string,
  timeoutMs: number,
): Promise<StepOutcome<Socket>> {
  const greeting = await readPlainGreeting(address, port, where, timeoutMs);
  if (!greeting.ok) return greeting;
  const socket = greeting.value;
  try {
    socket.write('A1 STARTTLS\r\n');
    let line = '';
    await withinDeadline(
      timeoutMs,
      `${where} did not answer STARTTLS within ${seconds(timeoutMs)}.`,
      async () => {
        do line = await readLine(socket);
        while (!line.startsWith('A1 '));
      },
      () => socket.destroy(),
    );
    if (!/^A1 OK\b/i.test(line)) {
      socket.destroy();
      return {
        ok: false,
        message: `${where} does not offer STARTTLS: choose TLS on the provider's TLS port (usually 993); plain IMAP is allowed only to a server on the relay's machine.`,
      };
    }
    return { ok: true, message: 'STARTTLS accepted', value: socket };
  } catch (error) {
    socket.destroy();
    if (error instanceof StepFailure) return { ok: false, message: error.message };
    return {
      ok: false,
      message: `${where} closed the connection after STARTTLS (${(error as Error).message}).`,
    };
  }
}

/**
 * One CRLF-terminated line, at most 1 KiB. Bytes after the line are put back with
 * `unshift` so the TLS handshake that may follow reads the stream from where IMAP left it.
 */
function readLine(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\n');
      if (end === -1 && buffered.length < 1024) return;
      cleanup();
      const cut = end === -1 ? buffered.length : end + 1;
      if (cut < buffered.length) socket.unshift(buffered.subarray(cut));
      resolve(
        buffered
          .subarray(0, cut)
          .toString('latin1')
          .replace(/\r?\n$/, ''),
      );
    };
    const onEnd = () => {
      cleanup();
      reject(new Error('connection closed'));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      socket.off('data', onData);
      socket.off('end', onEnd);
      socket.off('error', onError);
      socket.pause();
    };
    socket.on('data', onData);
    socket.once('end', onEnd);
    socket.once('error', onError);
    socket.resume();
  });
}

/** Resolves on `event`, rejects on the socket's first error (no listener left behind). */
function once(socket: Socket, event: 'connect' | 'secureConnect'): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      socket.off(event, onEvent);
      reject(error);
    };
    const onEvent = () => {
      socket.off('error', onError);
      resolve();
    };
    socket.once(event, onEvent);
    socket.once('error', onError);
  });
}

/**
 * Every failure that matters is seen by the step awaiting the socket; this listener keeps an
 * error that arrives after the step decided (a reset while closing) from crashing the relay.
 */
function ignoreLateError(): void {}

/** 127.0.0.0/8 and ::1 (also as an IPv4-mapped address). */
export function isLoopback(address: string): boolean {
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}
