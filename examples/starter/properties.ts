// The starter model's properties: what must always hold, and what must eventually happen.
import { always, eventually } from 'outage-checker';

export const countedOnce = always({
  name: 'counted-once',
  statement: 'The server counts the client’s one increment at most once, however often it is resent.',
  check: (w) => {
    const count = (w.process('server').context as { count: number }).count;
    return count > 1 ? { message: `the server counted the one increment ${count} times`, processes: ['server'] } : undefined;
  },
});

export const eventuallyAcknowledged = eventually({
  name: 'eventually-acknowledged',
  statement: 'Once the client has asked, it eventually receives an acknowledgement.',
  trigger: (w) => w.process('client').value !== 'idle',
  goal: (w) => w.process('client').value === 'done',
});
