import typescript from '@rollup/plugin-typescript';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { readFileSync } from 'node:fs';

// Internal fields start with `_` and are mangled; wire-format (JSON:API) names and public method
// names never start with `_` (except `_kx`, kept in `reserved`). The fields of a stored call are
// internal too, but their mangled names are a stored format: mangle.json pins each one.
const pinned = JSON.parse(readFileSync(new URL('./mangle.json', import.meta.url), 'utf8')).props;
const minify = (format = {}) =>
  terser({
    ecma: 2020,
    compress: {
      passes: 5,
      pure_getters: true,
      unsafe_arrows: true,
      unsafe: true,
      unsafe_methods: true,
      unsafe_comps: true,
      unsafe_undefined: true,
      hoist_funs: true,
      toplevel: true,
    },
    toplevel: true,
    mangle: { properties: { regex: /^_[a-z]/i, reserved: ['_kx', '_learnq', '_klOnsite'] } },
    // A fresh copy per bundle: terser adds the names it makes to the cache it is given.
    nameCache: { props: { props: { ...pinned } } },
    format: { comments: false, ...format },
  });

/** Its console lines say `•` and `←`: escaped, so a CDN serving the file without a charset cannot garble them. */
const ASCII = { ascii_only: true };

/** Replaces auto-capture with a no-op: the core-only bundle. */
const noCapture = {
  name: 'no-capture',
  resolveId: (id, importer) => (id == './capture' && importer?.endsWith('api.ts') ? '\0no-capture' : null),
  load: (id) => (id == '\0no-capture' ? 'export const startCapture = () => {};' : null),
};

const plugins = () => [resolve(), typescript({ tsconfig: './tsconfig.json', declaration: false, noEmitOnError: true })];

/** The Worker's `klite:assets`: dist/klite.js and dist/klite-debug.js (built above it) and dist/stub.min.js (built before rollup) as texts. */
const assets = {
  name: 'klite-assets',
  resolveId: (id) => (id == 'klite:assets' ? '\0klite-assets' : null),
  load: (id) =>
    id == '\0klite-assets'
      ? Object.entries({ script: 'klite.js', stub: 'stub.min.js', debug: 'klite-debug.js' })
          .map(([name, file]) => `export const ${name} = ${JSON.stringify(readFileSync('dist/' + file, 'utf8'))};`)
          .join('\n')
      : null,
};
/** The proxy runs on servers: not minified (its stack traces stay readable), Node's built-ins left to Node. */
const server = (input, file, extra = []) => ({
  input,
  output: { file, format: 'es', banner: file.endsWith('-cli.mjs') ? '#!/usr/bin/env node' : undefined },
  // playwright-core: `klite check`'s browser driver, an optional peer imported only by that command.
  external: (id) => id.startsWith('node:') || id == 'playwright-core',
  plugins: [...extra, ...plugins()],
});

export default [
  // The script tag: reads its own <script> element, installs window.klaviyo, drains stub queues.
  {
    input: 'src/browser.ts',
    // A source map beside it, not named in it (no bytes added): the benchmark maps klite's time at load to src/ with it.
    output: { file: 'dist/klite.js', format: 'iife', strict: false, sourcemap: 'hidden' },
    plugins: [...plugins(), minify()],
  },
  // The same without auto-capture, for shops that send their own events (and to measure the core).
  {
    input: 'src/browser.ts',
    output: { file: 'dist/klite.core.js', format: 'iife', strict: false },
    plugins: [noCapture, ...plugins(), minify()],
  },
  // Debug mode's view (README "Debug a live shop"): loaded on demand by klite.js from beside it, never part of it.
  // Minified with the same pinned names: it reads the stored calls.
  { input: 'src/debug/browser.ts', output: { file: 'dist/klite-debug.js', format: 'iife' }, plugins: [...plugins(), minify(ASCII)] },
  // `klite/debug`: the same view for npm users.
  { input: 'src/debug/index.ts', output: { file: 'dist/debug.mjs', format: 'es' }, plugins: [...plugins(), minify(ASCII)] },
  // npm: `import { init } from 'klite'`.
  { input: 'src/index.ts', output: { file: 'dist/klite.mjs', format: 'es' }, plugins: [...plugins(), minify()] },
  // `klite/proxy` (the fetch handler: Next.js, Hydrogen, any runtime with fetch), `klite/proxy/node`, the Worker, and the `klite-proxy` command.
  server('src/proxy/handler.ts', 'dist/proxy.mjs'),
  server('src/proxy/node.ts', 'dist/proxy-node.mjs'),
  server('src/proxy/worker.ts', 'dist/worker.mjs', [assets]),
  server('src/proxy/bin.ts', 'dist/proxy-cli.mjs'),
  // `klite snippet`: the paste-able block for other platforms; `klite check`: what klite would send from a page.
  server('src/cli/bin.ts', 'dist/klite-cli.mjs'),
  // `klite check`'s probe, run in the checked page beside klite.js (a dev tool: never in klite.js).
  { input: 'src/cli/check-page.ts', output: { file: 'dist/check-page.js', format: 'iife' }, plugins: [...plugins(), minify()] },
  // The same block for integrations (integrations/bigcommerce/…).
  server('src/cli/snippet.ts', 'dist/snippet.mjs'),
];
