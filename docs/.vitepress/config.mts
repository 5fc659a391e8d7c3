import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type DefaultTheme, defineConfigWithTheme } from 'vitepress';
import { externalizeInlineScripts } from './external-scripts.js';
import { githubSlug } from './github-slug.js';
import { repoLinks } from './repo-links.js';
import { repoRoot, sitePath, siteSourceExclude } from './site-paths.js';

/** Repository files that pages link to and that are not pages: copied beside the built pages. */
const linkedFiles = new Set<string>();

// The relay serves the guide at /guide/; `DOCS_BASE=/ npm run docs:build` builds it for a host of its own.
// biome-ignore lint/style/noProcessEnv: a build-time setting of the docs build, not the relay's configuration
const base = process.env.DOCS_BASE ?? '/guide/';

export default defineConfigWithTheme<DefaultTheme.Config & { apiReferenceUrl: string }>({
  title: 'Agent OTP',
  description: 'One verification code or one permission at a time for AI agents, with owner approval.',
  lang: 'en',
  base: base.endsWith('/') ? base : `${base}/`,
  // Pages are the repository's own Markdown, where GitHub shows it; see site-paths.ts.
  srcDir: repoRoot,
  srcExclude: siteSourceExclude,
  rewrites: sitePath,
  cleanUrls: true,
  lastUpdated: false,
  // Stays on: a link to a missing page fails the build (repo-links.ts checks file links too).
  // Only URLs of the reader's own relay (`http://localhost:8787/docs`) are not pages of this site.
  ignoreDeadLinks: 'localhostLinks',
  markdown: {
    // The docs are written for GitHub, which drops raw HTML it does not know; here it is shown
    // as text, so a placeholder like <sender> in prose reads as written and never breaks the
    // build (VitePress would compile it as a Vue element).
    html: false,
    anchor: { slugify: githubSlug },
    config: (md) => repoLinks(md, linkedFiles),
  },
  // The relay's CSP allows no inline script: page metadata goes to a chunk, the theme's
  // head scripts to files (external-scripts.ts).
  metaChunk: true,
  transformHtml: (html, _page, { siteConfig }) =>
    externalizeInlineScripts(html, siteConfig.outDir, siteConfig.site.base),
  async buildEnd(site) {
    for (const file of linkedFiles) {
      const to = join(site.outDir, sitePath(file));
      await mkdir(dirname(to), { recursive: true });
      await copyFile(join(repoRoot, file), to);
    }
  },
  themeConfig: {
    search: { provider: 'local' },
    outline: [2, 3],
    // The relay's API reference (theme/api-reference-link.ts); a guide hosted on its own
    // points at the relay's with DOCS_API_REFERENCE_URL=https://relay.example.com/docs.
    // biome-ignore lint/style/noProcessEnv: a build-time setting of the docs build
    apiReferenceUrl: process.env.DOCS_API_REFERENCE_URL ?? '/docs',
    sidebar: [
      { text: 'Getting started', items: [{ text: 'Agent OTP', link: '/' }] },
      {
        text: 'Agents and SDKs',
        items: [
          { text: 'TypeScript SDK', link: '/packages/sdk/' },
          { text: 'Python SDK', link: '/packages/python/' },
          { text: 'LangChain tool', link: '/packages/langchain/' },
          { text: 'Contract package', link: '/packages/contract/' },
          { text: 'Code extraction', link: '/packages/extract/' },
        ],
      },
      {
        text: 'Owners and capture',
        items: [
          { text: 'Web dashboard', link: '/dashboard' },
          { text: 'Telegram approvals', link: '/telegram' },
          { text: 'Notification email', link: '/notifications' },
          { text: 'Email (IMAP and Gmail)', link: '/email' },
          { text: 'SMS capture', link: '/sms' },
          { text: 'Android capture app', link: '/android-app' },
        ],
      },
      {
        text: 'Permissions and policies',
        items: [
          { text: 'One-time permissions', link: '/permissions' },
          { text: 'Policies', link: '/policies' },
        ],
      },
      {
        text: 'Integrations',
        items: [
          { text: 'Signed webhooks', link: '/webhooks' },
          { text: 'MCP server', link: '/mcp' },
          { text: 'MCP package', link: '/packages/mcp/' },
        ],
      },
      {
        text: 'Running a relay',
        items: [
          { text: 'Operations', link: '/operations' },
          { text: 'The agent-otp command', link: '/cli' },
          { text: 'HTTP API', link: '/api' },
          { text: 'Benchmarks', link: '/benchmarks' },
        ],
      },
      {
        text: 'Internals',
        items: [
          { text: 'Architecture', link: '/ARCHITECTURE' },
          { text: 'The audit log', link: '/audit' },
        ],
      },
    ],
  },
});
