// `klite …`: cli/klite.ts's `main` with this process's arguments.
import { main } from './klite';

process.exitCode = main(process.argv.slice(2));
