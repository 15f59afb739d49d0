/** Process entry for the CLI: runs `main` and exits with its code. */
import { main } from './main.js';

process.exitCode = await main(process.argv);
