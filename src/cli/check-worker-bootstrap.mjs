// Worker threads start as plain Node: register tsx here, then load the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import(new URL('./check-worker.ts', import.meta.url).href);
