import { stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

/** Types of the files the built dashboard and the built guide hold. */
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Vite puts content-hashed files under `assets/`: they never change, so browsers may keep them. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** HTML and unhashed files: always revalidate, so a new build is picked up at once. */
export const REVALIDATE = 'no-cache';

/**
 * The content type of a built file by its extension, or `fallback` for one not listed.
 *
 * @example
 * contentType('/srv/dist/index.html', 'application/octet-stream'); // 'text/html; charset=utf-8'
 */
export function contentType(file: string, fallback: string): string {
  const extension = extname(file).toLowerCase();
  // Own keys only: a file named `x.constructor` must not pick up an inherited property.
  return (Object.hasOwn(CONTENT_TYPES, extension) && CONTENT_TYPES[extension]) || fallback;
}

/**
 * The regular file a URL path names inside `root` (an absolute, resolved directory), or
 * undefined: never a file outside it, whatever `..`, encoded separators or NUL the path holds.
 *
 * @example
 * await fileIn('/srv/dist', '/assets/app.js'); // '/srv/dist/assets/app.js'
 * await fileIn('/srv/dist', '/..%2fsecret'); // undefined
 */
export async function fileIn(root: string, urlPath: string): Promise<string | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const candidate = resolve(root, `.${decoded}`);
  if (!candidate.startsWith(`${root}${sep}`)) return undefined;
  const info = await stat(candidate).catch(() => undefined);
  return info?.isFile() ? candidate : undefined;
}
