import type { IncomingMessage } from 'node:http';
import { BotApiError, badRequest } from './api-error.js';

/**
 * Method parameters as the Bot API sees them. The real server accepts the query string,
 * `application/x-www-form-urlencoded` and `application/json` bodies alike; form and query
 * values are strings, so readers below coerce them the way Telegram does (numbers from
 * digits, JSON-serialised objects such as `reply_markup`).
 */
export type Params = Record<string, unknown>;

export const MAX_BODY_BYTES = 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new BotApiError(413, 'Request Entity Too Large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new BotApiError(413, 'Request Entity Too Large');
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

export async function readParams(req: IncomingMessage, url: URL): Promise<Params> {
  const params: Params = Object.fromEntries(url.searchParams);
  const body = await readBody(req);
  if (body.length === 0) return params;
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw badRequest("can't parse JSON object");
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw badRequest('JSON object expected');
    }
    return { ...params, ...(parsed as Params) };
  }
  if (type === 'application/x-www-form-urlencoded') {
    return { ...params, ...Object.fromEntries(new URLSearchParams(body.toString('utf8'))) };
  }
  if (type === 'multipart/form-data') {
    // grammY only switches to multipart for file uploads, which the stand-in does not model.
    throw badRequest('multipart/form-data (file uploads) is not supported by the stand-in');
  }
  return params;
}

export function readString(params: Params, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function readInteger(params: Params, name: string): number | undefined {
  const value = params[name];
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}

export function readBoolean(params: Params, name: string): boolean {
  const value = params[name];
  return value === true || value === 'true' || value === '1' || value === 1;
}

/** Reads a field that is JSON on the wire: a nested object in JSON bodies, a string otherwise. */
export function readJson(params: Params, name: string, onError: () => BotApiError): unknown {
  const value = params[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw onError();
  }
}
