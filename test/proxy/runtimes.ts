// The proxy in the runtimes it ships for, started on loopback for the tests: Node's `http` with
// the packaged adapter (dist/proxy-node.mjs), and the Worker (dist/worker.mjs) in `workerd`, the
// open-source runtime of Cloudflare Workers, configured as a module worker the way a deployment
// would be (environment bindings, outbound network).
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import workerd from 'workerd';

/** The workerd binary (the package's default export, however the module loader wraps it). */
const WORKERD: string = typeof workerd == 'string' ? workerd : (workerd as any).default;

export interface Settings {
  upstream: string;
  companyIds: string[];
  prefix: string;
  timeout: number;
}

export interface Running {
  url: string;
  close: () => Promise<void>;
}

const DIST = new URL('../../dist/', import.meta.url);

/** The packaged Node adapter on a server of its own. */
export async function startNode(s: Settings): Promise<Running> {
  const { nodeProxy } = await import(new URL('proxy-node.mjs', DIST).href);
  const server: Server = createServer(nodeProxy(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

/** A port free now (workerd is told one: it cannot report one it chose). */
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

/** The built Worker in workerd, its settings as the environment bindings a deployment sets. */
export async function startWorkerd(s: Settings): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'klite-workerd-'));
  copyFileSync(new URL('worker.mjs', DIST), join(dir, 'worker.mjs'));
  const port = await freePort();
  const text = (name: string, value: string) => `(name = "${name}", text = ${JSON.stringify(value)})`;
  writeFileSync(
    join(dir, 'config.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "proxy", worker = .proxy),
    # The upstream is on loopback here; a deployment's is Klaviyo, on the public internet.
    (name = "net", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "proxy")],
);
const proxy :Workerd.Worker = (
  modules = [(name = "worker.mjs", esModule = embed "worker.mjs")],
  compatibilityDate = "2026-11-01",
  globalOutbound = "net",
  bindings = [
    ${text('KLITE_COMPANY_IDS', s.companyIds.join(','))},
    ${text('KLITE_UPSTREAM', s.upstream)},
    ${text('KLITE_PREFIX', s.prefix)},
    ${text('KLITE_TIMEOUT', String(s.timeout))},
  ],
);
`,
  );
  const child = spawn(WORKERD, ['serve', join(dir, 'config.capnp')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  // Ready once it answers.
  const until = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error('workerd exited: ' + output);
    const ok = await fetch(url + '/').then(
      () => true,
      () => false,
    );
    if (ok) break;
    if (Date.now() > until) throw new Error('workerd did not start: ' + output);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    close: async () => {
      child.kill();
      await new Promise((r) => child.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
