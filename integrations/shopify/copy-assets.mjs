// Copies the built klite (dist/klite.js: `npm run build` first) into the extension's assets/, from
// where the app embed block loads it with `asset_url` (Shopify's CDN, this app version's copy).
// Run before `shopify app deploy`: `node integrations/shopify/copy-assets.mjs`.
import { copyFileSync, mkdirSync } from 'node:fs';

const from = new URL('../../dist/klite.js', import.meta.url);
const to = new URL('./extensions/klite/assets/', import.meta.url);
mkdirSync(to, { recursive: true });
copyFileSync(from, new URL('klite.js', to));
console.log('klite: copied dist/klite.js to ' + to.pathname);
