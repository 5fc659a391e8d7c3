import { existsSync, statSync } from 'node:fs';
import { posix, relative, resolve } from 'node:path';
import type { MarkdownRenderer } from 'vitepress';
import { repoRoot, sitePath } from './site-paths.js';

/** A link with a scheme (`https:`, `mailto:`), protocol-relative, site-absolute or in-page. */
const NOT_RELATIVE = /^(?:[a-z][a-z\d+.-]*:|\/|#)/i;

/**
 * Re-aims every relative link in a page from the repository's layout (as GitHub shows it) to
 * the site's (see `sitePath`), so the Markdown needs no site-only links. A link to a
 * repository file that is not Markdown (`examples/seed-policies.yaml`, `LICENSE`) is kept as a
 * plain file link, recorded in `files` and copied into the built site by the config's
 * `buildEnd`; `target="_self"` makes VitePress's router load it as a file, not as a page.
 * A link to a missing file or outside the repository fails the build, naming page and link:
 * VitePress's own dead-link check only sees links to pages.
 */
export function repoLinks(md: MarkdownRenderer, files: Set<string>): void {
  md.core.ruler.push('agent_otp_repo_links', (state) => {
    const env = state.env as { realPath?: string; path?: string };
    const source = env.realPath ?? env.path;
    if (!source) return;
    const page = relative(repoRoot, source).split('\\').join('/');
    for (const block of state.tokens) {
      for (const token of block.children ?? []) {
        if (token.type !== 'link_open') continue;
        const href = token.attrGet('href');
        if (!href || NOT_RELATIVE.test(href)) continue;
        const cut = href.search(/[?#]/);
        const path = cut === -1 ? href : href.slice(0, cut);
        const suffix = cut === -1 ? '' : href.slice(cut);
        const target = posix.normalize(posix.join(posix.dirname(page), decodeURI(path)));
        const absolute = resolve(repoRoot, target);
        if (target.startsWith('../') || !existsSync(absolute) || !statSync(absolute).isFile()) {
          throw new Error(`${page}: the link ${href} names no file in the repository`);
        }
        if (!target.endsWith('.md')) {
          files.add(target);
          token.attrSet('target', '_self');
        }
        const from = posix.dirname(sitePath(page));
        token.attrSet('href', posix.relative(from, sitePath(target)) + suffix);
      }
    }
  });
}
