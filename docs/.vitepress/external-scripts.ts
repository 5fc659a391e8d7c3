import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A classic inline script: `<script>` or `<script id="…">`, no `src`, no `type`. */
const INLINE_SCRIPT = /<script(?: id="[\w-]+")?>([\s\S]*?)<\/script>/g;

/**
 * Moves each inline script of a built page (the theme's dark-mode and platform checks) into a
 * content-hashed file under `assets/`, because the relay's Content-Security-Policy allows only
 * `script-src 'self'`: an inline script would be refused and logged as an error. A classic
 * script in `<head>` still runs before the page paints, so dark mode does not flash.
 *
 * @example
 * html = await externalizeInlineScripts(html, site.outDir, site.site.base);
 */
export async function externalizeInlineScripts(html: string, outDir: string, base: string): Promise<string> {
  const scripts = [...html.matchAll(INLINE_SCRIPT)];
  let result = html;
  for (const [tag, body = ''] of scripts) {
    const name = `assets/inline.${createHash('sha256').update(body).digest('hex').slice(0, 12)}.js`;
    await mkdir(join(outDir, 'assets'), { recursive: true });
    await writeFile(join(outDir, name), body);
    result = result.replace(tag, `<script src="${base}${name}"></script>`);
  }
  return result;
}
