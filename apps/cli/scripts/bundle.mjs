// Bundles the built CLI (dist/main.js and the workspace packages' dist/ it imports) into
// dist/bundle/, which bin/agent-otp.js runs (issue 17, issue 18). Node spends most of a
// one-shot command's start-up resolving, reading and compiling modules: `pending` loaded
// ~750 of them (kysely alone 262). Bundled, a command loads a handful of chunks; each lazy
// `await import()` of a command's action stays a separate chunk, so `--help` still loads no
// relay code. Run by `npm run build` after tsc; `node apps/cli/scripts/bundle.mjs` alone
// rebuilds it from the current dist/.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const cliDir = join(repoRoot, 'apps', 'cli');
const outdir = join(cliDir, 'dist', 'bundle');

/**
 * Libraries copied into the bundle besides the workspace packages: plain ES modules that read
 * no files of their own and share no objects with a library left outside (zod stays outside:
 * the HTTP app's @hono/zod-openapi and the MCP SDK take our schemas). Every other package is
 * imported at run time from the file Node would have loaded, so native addons (better-sqlite3),
 * worker threads (pino) and packages that read their own folders keep working.
 */
const BUNDLED_LIBRARIES = new Set([
  'kysely',
  'jose',
  'ulidx',
  'layerr',
  're2js',
  'htmlparser2',
  'domhandler',
  'domutils',
  'dom-serializer',
  'domelementtype',
  'entities',
]);

/**
 * Entry points of libraries otherwise left outside that are copied in all the same. zod/mini
 * (with zod's English messages) is what packages/config validates the environment with, and
 * every command parses the configuration first: bundled it costs ~10 ms, where loading classic
 * zod from node_modules (~95 files, every locale) cost ~100 ms of `pending`'s start-up
 * (issue 17, issue 18). Classic `zod` stays outside, as above.
 *
 * So a `serve` process holds two copies of zod's core: the bundled one behind the config's
 * schemas and node_modules' one behind the contract's. That is safe only while the two never
 * meet: a config schema is never composed with a contract schema (nor handed to
 * @hono/zod-openapi or the MCP SDK), and the config sets no global zod option (load-config.ts
 * passes its English messages to its own parse; zod keeps its global config and registry on
 * globalThis, shared by both copies). Keep it so: a schema that must cross belongs in the
 * contract, on classic zod.
 */
const BUNDLED_ENTRY_POINTS = new Set(['zod/mini', 'zod/v4/locales/en.js']);

const WORKSPACE_SCOPES = ['@agent-otp/', '@orrisai/'];

function packageNameOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** A path from the bundle's folder, as an import specifier. */
function fromBundle(file) {
  const path = relative(outdir, file).split(sep).join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

const isInNodeModules = (file) => file.split(sep).includes('node_modules');

/** @type {import('esbuild').Plugin} */
const keepFileLocations = {
  name: 'keep-file-locations',
  setup(builder) {
    // A package left outside is imported by the exact file esbuild resolved from the importing
    // file, not by its bare name from the bundle's folder: a workspace package may depend on
    // its own version (packages/server/node_modules/nodemailer), and Node caches modules by
    // file, so the bundle and the packages it leaves outside share one instance of each.
    builder.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'resolving' || args.path.startsWith('node:')) return undefined;
      const name = packageNameOf(args.path);
      if (
        WORKSPACE_SCOPES.some((scope) => name.startsWith(scope)) ||
        BUNDLED_LIBRARIES.has(name) ||
        BUNDLED_ENTRY_POINTS.has(args.path)
      )
        return undefined;
      const resolved = await builder.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        pluginData: 'resolving',
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      // Node's built-in modules without the node: prefix.
      if (resolved.external) return { path: args.path, external: true };
      return { path: fromBundle(resolved.path), external: true };
    });
    // Workspace code finds files beside itself (package.json, the dashboard's dist/, optional
    // packages through createRequire) from import.meta.url; in the bundle it still means the
    // module's original file.
    builder.onLoad({ filter: /\.js$/ }, (args) => {
      if (isInNodeModules(args.path)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const original = `new URL(${JSON.stringify(fromBundle(args.path))}, import.meta.url).href`;
      return {
        contents: source.replaceAll('import.meta.url', original),
        loader: 'js',
        resolveDir: dirname(args.path),
      };
    });
  },
};

const builtAtMs = Date.now();
rmSync(outdir, { recursive: true, force: true });
const { metafile, outputFiles } = await build({
  absWorkingDir: repoRoot,
  entryPoints: { main: join(cliDir, 'dist', 'main.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Resolve exactly as Node does: no "module" condition or main field, which would pick a
  // package's ES build where Node loads its CommonJS one.
  conditions: [],
  mainFields: ['main'],
  // Error classes are recognised by name; renaming on a clash must not change `.name`.
  keepNames: true,
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
  write: false,
  logLevel: 'warning',
  plugins: [keepFileLocations],
});

for (const file of outputFiles) {
  // esbuild's stand-in for require() in an ES module throws when called: a bundled library
  // that needs it must stay outside instead.
  if (file.text.includes('Dynamic require of'))
    throw new Error(
      `${relative(repoRoot, file.path)} calls require(); leave that package outside the bundle`,
    );
}
mkdirSync(outdir, { recursive: true });
for (const file of outputFiles) writeFileSync(file.path, file.contents);

// bin/agent-otp.js runs the bundle only while none of the workspace files it was built from
// is newer (`tsc -b` without a new bundle); otherwise it runs dist/main.js.
const inputs = Object.keys(metafile.inputs)
  .map((input) => join(repoRoot, input))
  .filter((file) => !isInNodeModules(file))
  .map(fromBundle);
writeFileSync(join(outdir, 'inputs.json'), `${JSON.stringify({ builtAtMs, inputs })}\n`);
// Which original modules each chunk holds: apps/cli/test/start-up-imports.test.ts reads it to
// tell what a command really loads. Never read at run time.
writeFileSync(join(outdir, 'meta.json'), JSON.stringify(metafile));
