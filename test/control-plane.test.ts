import { describe, test } from 'vitest';
describe('control plane', () => { test.todo('rewritten below'); });
