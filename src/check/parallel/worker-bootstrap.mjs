// Worker threads start as plain Node (an `--import tsx` in the worker's execArgv is not
// honoured by Node 20 workers). tsx is registered for users' TypeScript model files; the
// worker itself is the compiled .js in the installed package (dist/), or the TypeScript
// source in this repository.
import { existsSync } from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const compiled = new URL('./worker.js', import.meta.url);
await import((existsSync(compiled) ? compiled : new URL('./worker.ts', import.meta.url)).href);
