/**
 * Heading anchors as GitHub makes them (lower case; punctuation dropped; each space a hyphen,
 * never collapsed), so `webhooks.md#which-urls-are-allowed-ssrf` written against GitHub's
 * rendering lands on the same heading in the guide. VitePress's own slugify turns `.` and `/`
 * into hyphens and collapses runs, which would break such links silently.
 *
 * @example
 * githubSlug('Which URLs are allowed (SSRF)'); // 'which-urls-are-allowed-ssrf'
 */
export function githubSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}
