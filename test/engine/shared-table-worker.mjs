// A worker thread for the shared fingerprint table's test: inserts the fingerprints it is given into the shared table and reports which it added.
import { workerData, parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { SharedFingerprintTable } = await import(new URL('../../src/engine/shared-fingerprint-table.ts', import.meta.url).href);
const table = new SharedFingerprintTable(workerData.buffer);
const { his, los, go } = workerData;
// Start together, so the threads race for the same slots.
Atomics.wait(go, 0, 0);
const added = [];
for (let i = 0; i < his.length; i++) if (table.add(his[i], los[i])) added.push(i);
parentPort.postMessage(added);
