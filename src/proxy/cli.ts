// `npx klite-proxy --company-id ABC123[,DEF456] [--port 8788] [--host 127.0.0.1] [--upstream URL]
// [--prefix /kl] [--cookie-domain example.com] [--timeout ms]`: the proxy on its own port, for a
// shop's server to route `<prefix>/` to (nginx's `location /kl/ { proxy_pass … }`). Prints its URL.
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { nodeProxy } from './node';
import { UPSTREAM } from './handler';

const USAGE =
  'usage: klite-proxy --company-id <id>[,<id>…] [--port 8788] [--host 127.0.0.1] [--upstream ' +
  UPSTREAM +
  '] [--prefix /kl] [--cookie-domain <domain>] [--timeout <ms>]';

/** Starts the proxy from command-line arguments; resolves with its URL once it listens. */
export function main(argv: string[]): Promise<{ url: string; upstream: string; close: () => Promise<void> }> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'company-id': { type: 'string' },
      port: { type: 'string', default: '8788' },
      host: { type: 'string', default: '127.0.0.1' },
      upstream: { type: 'string' },
      prefix: { type: 'string', default: '' },
      'cookie-domain': { type: 'string' },
      timeout: { type: 'string' },
    },
  });
  const companyIds = (values['company-id'] || '').split(',').filter(Boolean);
  if (!companyIds[0] || companyIds.some((id) => !/^[A-Za-z0-9]{6}$/.test(id)))
    return Promise.reject(new Error('--company-id takes public keys (6 letters or digits), comma-separated.\n' + USAGE));
  const server = createServer(
    nodeProxy({
      companyIds,
      upstream: values.upstream,
      prefix: values.prefix,
      cookieDomain: values['cookie-domain'],
      timeout: Number(values.timeout) || undefined,
    }),
  );
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(values.port), values.host, () => {
      const { port } = server.address() as { port: number };
      resolve({
        url: `http://${values.host}:${port}${values.prefix}`,
        upstream: values.upstream || UPSTREAM,
        close: () => new Promise((done) => (server.closeAllConnections(), server.close(() => done()))),
      });
    });
  });
}
