// klite's first-party proxy: one standard fetch handler (Request → Response) that a shop runs on
// its own origin, so that klite is served from, and sends through, the shop's own domain. It is
// not in the browser bundle; the adapters (node.ts, worker.ts, cli.ts) only translate to it.
//
// It is not an open proxy: only allow-listed public keys, only Klaviyo's client paths and POST,
// a body limit, an upstream timeout; the visitor's cookies and any credentials are never
// forwarded, and no body is ever logged. It adds nothing Klaviyo would not see from the browser:
// the same bodies, the same headers but the stripped ones, and the client's address in
// `X-Forwarded-For` (whether Klaviyo uses it for location is not documented).

/** Klaviyo's client API, where the proxy forwards to unless told otherwise. */
export const UPSTREAM = 'https://a.klaviyo.com';
/** Klaviyo refuses bodies over 5 MB: the proxy refuses them without reading further. */
export const MAX_BODY = 5 * 1024 * 1024;
/** How long the upstream may take before the proxy answers 504 (klite itself gives up after 15 s). */
export const UPSTREAM_TIMEOUT = 10_000;
/** The visitor cookie's lifetime when the proxy sets it again: 400 days, the most browsers keep a cookie. */
export const VISITOR_MAX_AGE = 400 * 86_400;
/** A receipt's lifetime: it is read by the next page view (and cleared by the proxy then), so a day is plenty. */
export const RECEIPT_MAX_AGE = 86_400;
/** The paths forwarded, under `<prefix>/client/`. */
export const CLIENT_PATHS = ['events', 'event-bulk-create', 'profiles', 'subscriptions'];
/**
 * A batch as klite names it (src/receipts.ts): up to 50 queue keys (letters and digits) joined
 * by dots. Anything else gets no receipt (and is still forwarded: the batch is never Klaviyo's).
 */
const BATCH = /^[a-z0-9]{1,40}(\.[a-z0-9]{1,40}){0,49}$/;

export interface ProxyOptions {
  /** The public keys (6 letters or digits) this proxy forwards for; any other gets a 403. */
  companyIds: string[];
  /** Default `https://a.klaviyo.com`. */
  upstream?: string;
  /** Where the proxy answers on the shop's origin, e.g. `/kl` (default: the root). */
  prefix?: string;
  /**
   * `GET <prefix>/klite.js`, `<prefix>/stub.min.js` and `<prefix>/klite-debug.js` (debug mode's
   * view, which klite.js loads from beside itself) serve these texts (404 when not given).
   */
  script?: string;
  stub?: string;
  debug?: string;
  /** The domain klite's visitor cookie is written for (klite's `cookieDomain()`), when it is not the host. */
  cookieDomain?: string;
  /** Milliseconds; default UPSTREAM_TIMEOUT. */
  timeout?: number;
  /** Bytes; default MAX_BODY. */
  maxBody?: number;
  /** The fetch that forwards (a platform's own, or a test's); default the global one. */
  fetch?: typeof fetch;
}

/** Request headers never forwarded: the visitor's cookies, credentials, hop-by-hop headers, and the client address headers (set anew). */
const STRIPPED = new Set([
  'cookie',
  'authorization',
  'proxy-authorization',
  'host',
  'content-length',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'upgrade',
  'expect',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-real-ip',
  'cf-connecting-ip',
]);
/** Upstream response headers passed back; the rest (the upstream's own cookies above all) are not. */
const PASSED = ['content-type', 'retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset'];

/** An error in the JSON:API shape Klaviyo answers with, so klite's console line carries its detail. */
export const errorResponse = (status: number, code: string, detail: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ errors: [{ status: String(status), code, title: code.replace(/_/g, ' '), detail }] }), {
    status,
    headers: { 'content-type': 'application/vnd.api+json', ...headers },
  });

/** Each `name=value` of a Cookie header. */
const cookiesOf = (header: string | null): [string, string][] =>
  (header || '')
    .split(/;\s*/)
    .filter(Boolean)
    .map((c) => {
      const at = c.indexOf('=');
      return at < 0 ? [c, ''] : [c.slice(0, at), c.slice(at + 1)];
    });

/** Reads at most `max` bytes of a body; null when it is longer (a declared length over the limit is refused before reading). */
async function readBody(request: Request, max: number): Promise<Uint8Array<ArrayBuffer> | null> {
  if (Number(request.headers.get('content-length') || 0) > max) return null;
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  if (reader)
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > max) {
        reader.cancel().catch(() => {});
        return null;
      }
      chunks.push(value);
    }
  const body = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.length;
  }
  return body;
}

/**
 * Makes the handler. `clientIp` is the visitor's address as the adapter knows it (the socket's,
 * or the platform's header): it goes upstream in `X-Forwarded-For`, after the addresses of the
 * proxies in front, if the request came through any.
 */
export function createProxy(options: ProxyOptions): (request: Request, clientIp?: string) => Promise<Response> {
  const upstream = (options.upstream || UPSTREAM).replace(/\/+$/, '');
  const prefix = (options.prefix || '').replace(/\/+$/, '');
  const allowed = new Set(options.companyIds);
  const timeout = options.timeout ?? UPSTREAM_TIMEOUT;
  const maxBody = options.maxBody ?? MAX_BODY;
  const forward = options.fetch || ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const assets: Record<string, string | undefined> = {
    '/klite.js': options.script,
    '/stub.min.js': options.stub,
    '/klite-debug.js': options.debug,
  };
  const domain = options.cookieDomain ? '; Domain=' + options.cookieDomain : '';

  return async (request, clientIp) => {
    const url = new URL(request.url);
    const path = url.pathname.startsWith(prefix + '/') ? url.pathname.slice(prefix.length) : '';

    const asset = assets[path];
    if (asset !== undefined && (request.method == 'GET' || request.method == 'HEAD'))
      return new Response(request.method == 'HEAD' ? null : asset, {
        headers: {
          'content-type': 'text/javascript; charset=utf-8',
          // An hour fresh, a day more while revalidating: a new release reaches every page within the hour.
          'cache-control': 'public, max-age=3600, stale-while-revalidate=86400',
        },
      });

    const client = /^\/client\/([a-z-]+)\/?$/.exec(path)?.[1];
    if (!client || !CLIENT_PATHS.includes(client)) return errorResponse(404, 'not_found', 'Not a path this proxy serves.');
    if (request.method != 'POST') return errorResponse(405, 'method_not_allowed', 'Only POST is forwarded.', { allow: 'POST' });

    const key = url.searchParams.get('company_id') || '';
    if (/^pk_/i.test(key))
      return errorResponse(
        403,
        'private_key',
        'A private API key was sent from a browser: refused, never forwarded. Rotate it, and use the public key.',
      );
    if (!allowed.has(key))
      return errorResponse(403, 'company_not_allowed', `This proxy does not forward for company_id "${key.slice(0, 20)}".`);

    const body = await readBody(request, maxBody);
    if (!body) return errorResponse(413, 'too_large', `Request bodies are limited to ${maxBody} bytes.`);

    // The batch is klite's, not Klaviyo's: it never leaves the proxy.
    const batch = url.searchParams.get('batch') || '';
    url.searchParams.delete('batch');

    const headers = new Headers();
    request.headers.forEach((value, name) => STRIPPED.has(name) || headers.set(name, value));
    const chain = [request.headers.get('x-forwarded-for'), clientIp].filter(Boolean).join(', ');
    if (chain) headers.set('x-forwarded-for', chain);

    let answer: Response;
    try {
      answer = await forward(upstream + path + url.search, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(timeout),
        redirect: 'manual',
      });
    } catch (e) {
      return (e as Error)?.name == 'TimeoutError'
        ? errorResponse(504, 'upstream_timeout', `Klaviyo did not answer within ${timeout} ms.`)
        : errorResponse(502, 'upstream_unreachable', 'Klaviyo could not be reached.');
    }

    const out = new Headers({ 'cache-control': 'no-store' });
    for (const name of PASSED) {
      const value = answer.headers.get(name);
      if (value) out.set(name, value);
    }
    const secure = url.protocol == 'https:' ? '; Secure' : '';
    const sent = cookiesOf(request.headers.get('cookie'));
    // The visitor's cookie, set again by the shop's own server so that Safari does not cap it at
    // 7 days: only the value the page sent, untouched, and never when it sent none (so that a
    // visitor klite erased stays erased).
    const visitor = sent.find(([name]) => name == '__kla_id')?.[1];
    if (visitor && /^[\w%+/=.-]+$/.test(visitor))
      out.append('set-cookie', `__kla_id=${visitor}; Path=/; Max-Age=${VISITOR_MAX_AGE}; SameSite=Lax${domain}${secure}`);
    // Receipts this request carried have been read by the page that sent it (src/receipts.ts): cleared.
    for (const [name] of sent) if (name.startsWith('klr_')) out.append('set-cookie', `${name}=; Path=/; Max-Age=0; SameSite=Lax${secure}`);
    // Klaviyo accepted a closing page's batch: the receipt that tells the next page view.
    if (answer.ok && BATCH.test(batch))
      out.append('set-cookie', `klr_${batch}=1; Path=/; Max-Age=${RECEIPT_MAX_AGE}; SameSite=Lax${secure}`);
    return new Response(answer.status == 204 || answer.status == 304 ? null : await answer.arrayBuffer(), {
      status: answer.status,
      headers: out,
    });
  };
}
