// The proxy as a Cloudflare Worker (a module worker). Routed on the shop's own zone (e.g.
// `shop.example/kl/*`), it answers from the shop's own addresses: what makes the visitor cookie it
// sets last past Safari's 7-day cap. Configured by environment variables:
// KLITE_COMPANY_IDS (comma-separated public keys, required), KLITE_UPSTREAM, KLITE_PREFIX (e.g.
// `/kl`), KLITE_COOKIE_DOMAIN, KLITE_TIMEOUT (ms). klite.js and the stub are built into it.
import { createProxy, errorResponse } from './handler';
// Replaced at build time by the texts of dist/klite.js, dist/stub.min.js and dist/klite-debug.js (rollup.config.mjs).
import { debug, script, stub } from 'klite:assets';

export interface Env {
  KLITE_COMPANY_IDS?: string;
  KLITE_UPSTREAM?: string;
  KLITE_PREFIX?: string;
  KLITE_COOKIE_DOMAIN?: string;
  KLITE_TIMEOUT?: string;
}

let cached: [Env, ReturnType<typeof createProxy>] | undefined;

export default {
  fetch(request: Request, env: Env): Promise<Response> | Response {
    const companyIds = (env.KLITE_COMPANY_IDS || '')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean);
    if (!companyIds[0]) {
      console.error('klite-proxy: KLITE_COMPANY_IDS is not set: nothing is forwarded.');
      return errorResponse(500, 'not_configured', 'The proxy has no company id to forward for.');
    }
    if (cached?.[0] !== env)
      cached = [
        env,
        createProxy({
          companyIds,
          upstream: env.KLITE_UPSTREAM,
          prefix: env.KLITE_PREFIX,
          cookieDomain: env.KLITE_COOKIE_DOMAIN,
          timeout: Number(env.KLITE_TIMEOUT) || undefined,
          script,
          stub,
          debug,
        }),
      ];
    // Cloudflare gives the visitor's address in CF-Connecting-IP.
    return cached[1](request, request.headers.get('cf-connecting-ip') || undefined);
  },
};
