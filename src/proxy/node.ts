// The proxy for Node's `http` servers: `createServer(nodeProxy(options))`, or Express/Connect
// middleware (`app.use(nodeProxy(options))`: what is not the proxy's goes on to `next`). Next.js
// route handlers and Hydrogen (Oxygen) take the fetch handler itself (handler.ts): they speak
// Request and Response already.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { createProxy, type ProxyOptions } from './handler';

export { createProxy, errorResponse, type ProxyOptions } from './handler';

type Next = (error?: unknown) => void;

/** klite.js, the stub and debug mode's view as this package ships them (dist/, beside this file): what the proxy serves unless given others. */
export function packagedAssets(): Pick<ProxyOptions, 'script' | 'stub' | 'debug'> {
  const read = (name: string) => {
    try {
      return readFileSync(new URL('./' + name, import.meta.url), 'utf8');
    } catch {
      return undefined;
    }
  };
  return { script: read('klite.js'), stub: read('stub.min.js'), debug: read('klite-debug.js') };
}

/** The request as the fetch handler takes it: https when the socket, or a TLS-ending proxy in front, says so. */
export function toRequest(req: IncomingMessage): Request {
  const tls = (req.socket as { encrypted?: boolean }).encrypted || req.headers['x-forwarded-proto'] == 'https';
  const url = new URL(req.url || '/', (tls ? 'https://' : 'http://') + (req.headers.host || 'localhost'));
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers))
    if (value !== undefined) headers.set(name, ([] as string[]).concat(value).join(', '));
  const bodied = req.method != 'GET' && req.method != 'HEAD';
  return new Request(url, {
    method: req.method,
    headers,
    body: bodied ? (Readable.toWeb(req) as ReadableStream) : undefined,
    // Node's fetch needs this to stream a request body.
    ...(bodied ? { duplex: 'half' } : {}),
  } as RequestInit);
}

/** Writes a fetch Response to Node's response, each Set-Cookie on its own line. */
export async function sendResponse(response: Response, res: ServerResponse): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => name != 'set-cookie' && (headers[name] = value));
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers['set-cookie'] = cookies;
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}

/**
 * `(req, res, next?)`: answers the proxy's paths. As middleware (with `next`), every other path
 * is passed on; alone, they get a 404. klite.js and the stub are the packaged ones unless given.
 */
export function nodeProxy(options: ProxyOptions) {
  const handle = createProxy({ ...packagedAssets(), ...options });
  const prefix = (options.prefix || '').replace(/\/+$/, '');
  return async (req: IncomingMessage, res: ServerResponse, next?: Next) => {
    const path = (req.url || '/').split('?')[0];
    if (next && !(path.startsWith(prefix + '/') && /^\/(client\/|klite\.js$|stub\.min\.js$)/.test(path.slice(prefix.length))))
      return next();
    try {
      await sendResponse(await handle(toRequest(req), req.socket.remoteAddress), res);
    } catch (e) {
      // A client that went away mid-body, or a bug: one line, never the body.
      console.error('klite-proxy: ' + req.method + ' ' + path + ' failed: ' + (e as Error)?.message);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  };
}
