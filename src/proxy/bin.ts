// The `klite-proxy` command (package.json "bin"): cli.ts's `main` with this process's arguments.
import { main } from './cli';

main(process.argv.slice(2)).then(
  ({ url, upstream }) => console.log(`klite-proxy: ${url}/ → ${upstream}`),
  (e: Error) => {
    console.error('klite-proxy: ' + e.message);
    process.exit(1);
  },
);
