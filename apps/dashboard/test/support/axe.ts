import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** The WCAG 2.1 AA rule set issue 15 asks for (A and AA of 2.0 and 2.1). */
export const WCAG_21_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] as const;

const axePath = createRequire(import.meta.url).resolve('axe-core');

/** One axe-core violation, reduced to what a failing test needs to say. */
export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string; summary: string }[];
}

/**
 * Runs axe-core in the page as it is now (or only in the element `within` selects), limited
 * to WCAG 2.1 A and AA, and returns the violations (the "needs review" results are not
 * failures). The script is injected on each call because a navigation drops it.
 */
export async function axeViolations(page: Page, within?: string): Promise<Violation[]> {
  await page.addScriptTag({ path: axePath });
  return page.evaluate(
    async ({ tags, within }) => {
      // Injected just above: axe-core defines a global `axe`.
      const { axe } = window as unknown as {
        axe: {
          run(
            context: Document | Element,
            options: object,
          ): Promise<{
            violations: {
              id: string;
              impact: string | null;
              help: string;
              nodes: { target: unknown[]; failureSummary?: string }[];
            }[];
          }>;
        };
      };
      const context = within ? document.querySelector(within) : document;
      if (!context) throw new Error(`nothing on the page matches ${within}`);
      const results = await axe.run(context, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      });
      return results.violations.map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        nodes: violation.nodes.map((node) => ({
          target: node.target.map(String).join(' '),
          summary: (node.failureSummary ?? '').replace(/\s+/g, ' ').trim(),
        })),
      }));
    },
    { tags: [...WCAG_21_AA_TAGS], within },
  );
}

/** The violations as lines a reader can act on: rule, impact, element and what is wrong. */
export function describeViolations(where: string, violations: Violation[]): string {
  const lines = violations.flatMap((violation) => [
    `${violation.id} (${violation.impact ?? 'no impact given'}): ${violation.help}`,
    ...violation.nodes.map((node) => `    ${node.target} — ${node.summary}`),
  ]);
  return `${violations.length} axe-core violation(s) on ${where}:\n${lines.join('\n')}`;
}
