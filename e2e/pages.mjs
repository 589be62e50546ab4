// How every suite (e2e, engines, chaos, bench) makes a test page: Klaviyo's stub pointed at a
// script, and the page around what a test puts in its head and body.
import { readFileSync } from 'node:fs';

const read = (path) => readFileSync(new URL('../' + path, import.meta.url), 'utf8');
/** The stub's source (snippet/stub.js) and the built one merchants paste (dist/stub.min.js, after `npm run build`). */
const SOURCES = { source: () => read('snippet/stub.js'), min: () => read('dist/stub.min.js').trim() };
/** Where each form of the stub names the script it loads: one string, replaced by the test's. */
const PLACEHOLDER = {
  source: "'https://cdn.example.com/klite.js?company_id=PUBLIC_KEY'",
  min: '"https://cdn.example.com/klite.js?company_id=PUBLIC_KEY"',
};

/**
 * Klaviyo's stub loading `src` — a JavaScript expression: a quoted URL, or `null` to load nothing
 * (the test loads klite itself). `min`: the built stub, as merchants paste it.
 */
export function stubCode(src = 'null', { min = false } = {}) {
  const form = min ? 'min' : 'source';
  const stub = SOURCES[form]();
  if (!stub.includes(PLACEHOLDER[form])) throw new Error(`the ${form} stub no longer names ${PLACEHOLDER[form]}: update e2e/pages.mjs`);
  return stub.replace(PLACEHOLDER[form], src);
}

/** The same as a `<script>` element. */
export const stubScript = (src, options) => `<script>${stubCode(src, options)}</script>`;

/** A page of `head` and `body` markup. */
export const html = ({ head = '', body = '' } = {}) => `<!doctype html><html><head>${head}</head><body>${body}</body></html>`;
