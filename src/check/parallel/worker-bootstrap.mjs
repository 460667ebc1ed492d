// Worker threads start as plain Node: register tsx here, then load the TypeScript worker.
// (An `--import tsx` in the worker's execArgv is not honoured by Node 20 workers.)
import { register } from 'tsx/esm/api';

register();
await import(new URL('./worker.ts', import.meta.url).href);
