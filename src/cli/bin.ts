// `klite …`: cli/klite.ts's `main` with this process's arguments.
import { main } from './klite';

process.exitCode = await main(process.argv.slice(2));
