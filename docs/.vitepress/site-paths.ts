import { fileURLToPath } from 'node:url';

/** The repository's root: the site's pages are its Markdown, read where GitHub shows them. */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The Markdown the guide is built from (repository paths). Everything else under the root
 * (sources, tests, helpers' notes) is excluded, so a stray `.md` never becomes a page.
 */
export const siteSourceExclude = [
  '!(README).md',
  '!(docs|packages)/**/*',
  'docs/.vitepress/**',
  'packages/*/!(README).md',
  'packages/*/*/**',
];

/**
 * Where a repository file lands in the site: `docs/x.md` at the top (`/guide/x`), the README as
 * the home page, a package's README as that package's page. Files keep their repository paths
 * otherwise. Every relative link is re-aimed through this one map (see repo-links.ts), so the
 * Markdown keeps the links that work on GitHub.
 *
 * @example
 * sitePath('docs/webhooks.md'); // 'webhooks.md'
 * sitePath('packages/sdk/README.md'); // 'packages/sdk/index.md'
 */
export function sitePath(repoPath: string): string {
  if (repoPath === 'README.md') return 'index.md';
  const packageReadme = /^packages\/([^/]+)\/README\.md$/.exec(repoPath);
  if (packageReadme) return `packages/${packageReadme[1]}/index.md`;
  if (repoPath.startsWith('docs/')) return repoPath.slice('docs/'.length);
  return repoPath;
}
