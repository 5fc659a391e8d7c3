/**
 * Reads an environment variable where there is one (Node, Bun, Deno with --allow-env);
 * undefined in browsers or when access is denied.
 *
 * @example
 * readEnvironment('AGENT_OTP_API_KEY'); // 'ak_live_…' or undefined
 */
export function readEnvironment(name: string): string | undefined {
  try {
    const value = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[
      name
    ];
    return value === '' ? undefined : value;
  } catch {
    // Deno without --allow-env throws on access: treat as unset.
    return undefined;
  }
}
