#!/usr/bin/env node
// The installed command. It runs the compiled package (dist/) and registers tsx so that
// users' TypeScript model files load; in this repository, before a build, it runs the sources.
import { existsSync } from 'node:fs';
import { register } from 'tsx/esm/api';

register();
const compiled = new URL('../dist/src/cli/main.js', import.meta.url);
await import((existsSync(compiled) ? compiled : new URL('../src/cli/main.ts', import.meta.url)).href);
