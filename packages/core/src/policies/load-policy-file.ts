import { readFile } from 'node:fs/promises';
import { PolicyFileError, parsePolicyYaml } from './parse-policy-yaml.js';
import type { PolicySet } from './policy-types.js';

/**
 * Reads and parses POLICY_FILE once (start-up, `policy:test`). A missing or invalid file
 * throws {@link PolicyFileError}; without a file the set is empty and every request without
 * a database policy needs approval.
 *
 * @example
 * const policies = await loadPolicyFile(config.policyFile);
 */
export async function loadPolicyFile(path: string | undefined): Promise<PolicySet> {
  if (!path) return { file: null, policies: [] };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new PolicyFileError(`POLICY_FILE ${path} cannot be read (${code})`, null);
  }
  return { file: path, policies: parsePolicyYaml(text, path) };
}
