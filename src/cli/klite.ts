// The `klite` command (package.json "bin"). `klite snippet --company-id ABC123 [--consent
// pending] [--src URL] [--endpoint /kl] [--no-capture cart,forms]` prints the paste-able block;
// `klite check <url | page.html>` prints what klite would send from a page (check.ts).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { check, CHECK_USAGE } from './check';
import { problem, snippet } from './snippet';

const USAGE =
  'usage: klite snippet --company-id <public key> [--consent pending] [--src <klite.js URL>] [--endpoint /kl] [--no-capture cart,forms]\n' +
  CHECK_USAGE.replace('usage:', '      ');

/** Runs the command; answers its exit code (a Promise of it for `check`). Beside dist/: the built stub and the package's version. */
export function main(
  argv: string[],
  out = (s: string) => void process.stdout.write(s),
  err = (s: string) => void process.stderr.write(s),
): number | Promise<number> {
  const [command, ...rest] = argv;
  if (command == 'check') return check(rest, out, err);
  if (command != 'snippet') {
    err(USAGE + '\n');
    return command == 'help' || command == '--help' ? 0 : 1;
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        'company-id': { type: 'string' },
        consent: { type: 'string' },
        src: { type: 'string' },
        endpoint: { type: 'string' },
        'no-capture': { type: 'string' },
      },
    }));
  } catch (e) {
    err('klite: ' + (e as Error).message + '\n' + USAGE + '\n');
    return 1;
  }
  const options = {
    companyId: values['company-id'] || '',
    consent: values.consent,
    src: values.src,
    endpoint: values.endpoint,
    noCapture: values['no-capture'],
  };
  const why = problem(options);
  if (why) {
    err('klite: ' + why + '\n' + USAGE + '\n');
    return 1;
  }
  const stub = readFileSync(new URL('./stub.min.js', import.meta.url), 'utf8');
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  out(snippet(options, stub, version));
  return 0;
}
