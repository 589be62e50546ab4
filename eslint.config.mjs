// `npm run lint`: typescript-eslint's recommended rules over the library, its tests, the suites and
// the tools, and prettier's formatting (.prettierrc.json). What is turned off says why.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** What pages define, used by functions that tests run inside them (page.evaluate). */
const page = { klaviyo: 'readonly', _learnq: 'writable', Shopify: 'writable', cmpAnswer: 'writable' };

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/peers/', 'bench/results/', 'test-results/', 'demo/public/', 'demo/data/', 'e2e/fixtures/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // klite swallows what the page's code throws, on purpose (never break the host page): an
      // empty catch is that decision; an empty block elsewhere is still an error.
      'no-empty': ['error', { allowEmptyCatch: true }],
      // `a && b()` as a statement is control flow in disguise: plain `if`s (terser makes them short).
      '@typescript-eslint/no-unused-expressions': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
    },
  },
  {
    files: ['src/**/*.ts'],
    languageOptions: { globals: globals.browser },
    rules: {
      // Platform globals (Shopify, ShopifyAnalytics, BCData, __tcfapi…) and the page's own
      // functions that klite wraps have no types to give.
      '@typescript-eslint/no-explicit-any': 'off',
      // Wrappers of the page's fetch, XHR and history pass `arguments` through exactly as given.
      'prefer-rest-params': 'off',
    },
  },
  // Klaviyo-compatible stub, pasted into pages: written for its byte budget (700 B), like Klaviyo's.
  {
    files: ['snippet/stub.js'],
    languageOptions: { globals: globals.browser },
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    files: ['**/*.mjs', 'test/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.browser, ...page } },
    rules: {
      // Test doubles of untyped browser and platform objects.
      '@typescript-eslint/no-explicit-any': 'off',
      // Playwright fixtures: `({}, use)` and fixtures named only to be set up first.
      'no-empty-pattern': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { args: 'none', ignoreRestSiblings: true }],
    },
  },
);
