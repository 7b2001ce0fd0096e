// Build: bundle with esbuild. The schema (server/src/schema/generated/k8s-schema.json) is committed;
// `npm run schema:update` regenerates it from kubernetes-models' type declarations.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schemaOut = path.join(root, 'server/src/schema/generated/k8s-schema.json');
if (!existsSync(schemaOut)) {
  // committed; regenerated only by `npm run schema:update` (scripts/gen-schema.ts)
  console.error(
    `build: ${path.relative(root, schemaOut)} is missing: restore it from git or run npm run schema:update`,
  );
  process.exit(1);
}

const pkgVersion = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;

// yaml's parser and composer look up a debugging switch in the environment (LOG_TOKENS, LOG_STREAM)
// for every token they handle: each lookup is a call into the C++ environment (about 7% of the CPU of
// `kube-netlens check` over many files). The bundles drop those lookups: the switches are off.
const yamlDebugSwitches = {
  name: 'yaml-debug-switches',
  setup(b) {
    b.onLoad(
      { filter: /[\\/]node_modules[\\/]yaml[\\/]dist[\\/](parse[\\/]parser|compose[\\/]composer)\.js$/ },
      (args) => {
        const source = readFileSync(args.path, 'utf8');
        const contents = source.replace(/\bnode_process\.env\.(LOG_TOKENS|LOG_STREAM)\b/g, 'false');
        return {
          contents,
          loader: 'js',
          warnings:
            contents === source
              ? [{ text: `yaml-debug-switches: no LOG_TOKENS/LOG_STREAM lookup found in ${args.path}` }]
              : [],
        };
      },
    );
  },
};

const common = {
  bundle: true,
  plugins: [yamlDebugSwitches],
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  absWorkingDir: root,
  loader: { '.yaml': 'text' },
};

await Promise.all([
  // minified: VS Code loads this file on every YAML file's first opening (scripts/bench-listing.mjs)
  build({
    ...common,
    entryPoints: ['client/src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    minify: true,
  }),
  // the language client, loaded by dist/extension.js when the server starts (not on activation)
  build({
    ...common,
    entryPoints: ['client/src/language-client.ts'],
    outfile: 'dist/language-client.js',
    external: ['vscode'],
    minify: true,
  }),
  // the server: its bundle (dist/server-main.js), then dist/server.js, which runs it with V8's code
  // cache (server/src/server-loader.ts) and knows the bundle by a hash of its text
  // (written as the function Node's module loader would wrap it in: the loader compiles the file's
  // text as it is, without a copy of 3 MB to wrap it)
  build({
    ...common,
    entryPoints: ['server/src/main.ts'],
    outfile: 'dist/server-main.js',
    banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
    footer: { js: '})' },
  }).then(() =>
    build({
      ...common,
      entryPoints: ['server/src/server-loader.ts'],
      outfile: 'dist/server.js',
      define: {
        KUBE_NETLENS_SERVER_BUNDLE_ID: JSON.stringify(
          createHash('sha256')
            .update(readFileSync(path.join(root, 'dist/server-main.js')))
            .digest('hex')
            .slice(0, 16),
        ),
      },
    }),
  ),
  // the server's parser thread: the bounded parser alone starts faster than the whole server bundle
  build({ ...common, entryPoints: ['server/src/parse-thread.ts'], outfile: 'dist/parse-thread.js' }),
  build({
    ...common,
    entryPoints: ['server/src/cli.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
    // --version without a package.json beside it (dist/cli.js copied into a CI image)
    define: { KUBE_NETLENS_VERSION: JSON.stringify(pkgVersion) },
  }),
  // the routing preview webview: a browser bundle (dist/webview.js + dist/webview.css), no Node APIs
  build({
    ...common,
    platform: 'browser',
    target: 'chrome120',
    format: 'iife',
    entryPoints: ['client/src/webview/main.ts'],
    outfile: 'dist/webview.js',
  }),
]);
// VS Code's codicon font for the webview's toolbar and labels, served from dist/ like the bundle
const codicons = path.dirname(createRequire(import.meta.url).resolve('@vscode/codicons/dist/codicon.css'));
mkdirSync(path.join(root, 'dist'), { recursive: true });
for (const f of ['codicon.css', 'codicon.ttf'])
  copyFileSync(path.join(codicons, f), path.join(root, 'dist', f));
console.log(
  'built dist/extension.js, dist/language-client.js, dist/server.js (+ dist/server-main.js), dist/parse-thread.js, dist/cli.js, dist/webview.js (+ dist/codicon.css, dist/codicon.ttf)',
);
