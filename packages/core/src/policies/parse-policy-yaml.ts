import { createRequire } from 'node:module';
import { findUnstorableText, PolicyDefinition } from '@agent-otp/shared';
import type * as Yaml from 'yaml';
import type { Node } from 'yaml';
import type { z } from 'zod';
import { compilePolicy, PolicyDefinitionError } from './compile-policy.js';
import type { CompiledPolicy } from './policy-types.js';

/** A policy file that cannot be used; the message names the file, line and column. */
export class PolicyFileError extends Error {
  override readonly name = 'PolicyFileError';
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(message);
  }
}

type Path = ReadonlyArray<string | number>;

let yamlParser: typeof Yaml | undefined;

/**
 * The YAML parser, loaded on first use: every process imports this package, but only those
 * that read a policy file need the parser (one-shot CLI commands start faster without it).
 */
function yaml(): typeof Yaml {
  yamlParser ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return yamlParser;
}

/** The deepest node along `path` that exists, so a missing key points at its parent. */
function nodeAt(root: Node | null, path: Path): Node | null {
  let node: Node | null = root;
  for (const key of path) {
    if (yaml().isMap(node)) {
      const pair = node.items.find((item) => (item.key as { value?: unknown } | null)?.value === key);
      if (!pair) return node;
      node = (pair.value as Node | null) ?? (pair.key as Node);
    } else if (yaml().isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as Node | undefined;
      if (!item) return node;
      node = item;
    } else {
      return node;
    }
  }
  return node;
}

function describePath(path: Path): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : /^[A-Za-z_]\w*$/.test(p) ? `.${p}` : `["${p}"]`))
    .join('')
    .replace(/^\./, '');
}

function firstIssue(error: z.ZodError): { path: Path; message: string } {
  const issue = error.issues[0];
  const path = (issue?.path ?? []).filter((p): p is string | number => typeof p !== 'symbol');
  // A bad record key (an unknown condition path) carries its reason one level down.
  const nested = issue?.code === 'invalid_key' ? issue.issues[0]?.message : undefined;
  return { path, message: nested ?? issue?.message ?? 'invalid' };
}

/**
 * Parses a policy file: a YAML list of policies (or `policies:` holding one). Every problem
 * (YAML syntax, an unknown operator, a wrong type, an unsafe pattern) throws
 * {@link PolicyFileError} naming the line, so a broken file stops start-up instead of
 * silently deciding differently.
 *
 * @example
 * const policies = parsePolicyYaml(readFileSync('policies.yaml', 'utf8'), 'policies.yaml');
 */
export function parsePolicyYaml(text: string, fileName: string, idPrefix = 'file'): CompiledPolicy[] {
  const lineCounter = new (yaml().LineCounter)();
  const document = yaml().parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const where = (offset: number | undefined) => {
    if (offset === undefined) return { text: fileName, line: null };
    const { line, col } = lineCounter.linePos(offset);
    return { text: `${fileName}:${line}:${col}`, line };
  };
  const yamlError = document.errors[0];
  if (yamlError) {
    const at = where(yamlError.pos[0]);
    throw new PolicyFileError(`${at.text}: ${yamlError.message.split('\n')[0]}`, at.line);
  }
  const root = document.contents as Node | null;
  let listPath: Path = [];
  let list: unknown = document.toJS();
  if (list === null || list === undefined) return [];
  if (!Array.isArray(list) && typeof list === 'object' && 'policies' in list) {
    list = (list as { policies: unknown }).policies;
    listPath = ['policies'];
  }
  if (!Array.isArray(list)) {
    const at = where(root?.range?.[0]);
    throw new PolicyFileError(
      `${at.text}: a policy file is a list of policies (or "policies:" holding one)`,
      at.line,
    );
  }
  return list.map((item, index) => {
    const fail = (path: Path, message: string): never => {
      const node = nodeAt(root, [...listPath, index, ...path]);
      const at = where(node?.range?.[0]);
      const name =
        typeof (item as { name?: unknown })?.name === 'string'
          ? ` ("${(item as { name: string }).name}")`
          : '';
      const field = path.length ? ` ${describePath(path)}` : '';
      throw new PolicyFileError(`${at.text}: policy ${index + 1}${name}${field}: ${message}`, at.line);
    };
    const parsed = PolicyDefinition.safeParse(item);
    if (!parsed.success) {
      const issue = firstIssue(parsed.error);
      return fail(issue.path, issue.message);
    }
    // YAML's "\0" escape makes a NUL, which PostgreSQL cannot store: refused like any bad value.
    const unstorable = findUnstorableText(parsed.data);
    if (unstorable) return fail(unstorable.segments, unstorable.message);
    try {
      return compilePolicy(parsed.data, { id: `${idPrefix}:${index + 1}`, source: 'file', order: index });
    } catch (error) {
      if (error instanceof PolicyDefinitionError) return fail(error.path, error.message);
      throw error;
    }
  });
}
