#!/usr/bin/env node
// The installed command: TypeScript (the tool's own and the user's model files) runs through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
