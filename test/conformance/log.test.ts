import { describe, expect, test } from 'vitest';
import { LogError, formatLogEvent, parseLog } from '../../src/conformance/log.js';

const processes = ['a', 'b'];
const partitions = ['a isolated'];

describe('reading a log', () => {
  test('every kind of entry reads back as it was written, fields and their order included', () => {
    const lines = [
      '{"seq":1,"time":0,"kind":"receive","process":"a","from":"b","msg":{"type":"M","id":1},"state":{"value":"up","context":{"n":1}}}',
      '{"seq":2,"kind":"send","process":"a","to":"b","msg":{"type":"M","id":2}}',
      '{"seq":3,"time":4,"kind":"timeout","process":"a","event":{"type":"T"}}',
      '{"seq":4,"kind":"request","process":"b","event":{"type":"R"},"state":{"value":"down"}}',
      '{"seq":5,"kind":"internal","process":"b","event":{"type":"I"}}',
      '{"seq":6,"kind":"crash","process":"a"}',
      '{"seq":7,"kind":"restart","process":"a","state":{"context":{"n":0}}}',
      '{"seq":8,"time":9,"kind":"partition","partition":"a isolated"}',
      '{"seq":9,"kind":"heal","partition":"a isolated"}',
      '{"seq":10,"kind":"drop","from":"a","to":"b","msg":{"type":"M","id":3}}',
      '{"seq":11,"time":9,"kind":"tick"}',
    ];
    const events = parseLog(`${lines.join('\n')}\n`, { processes, partitions });
    expect(events.map((e) => e.line)).toEqual(lines.map((_, i) => i + 1));
    expect(events.map(formatLogEvent)).toEqual(lines);
  });

  test('a send, a fault or a tick keeps no reported state', () => {
    const [send] = parseLog('{"seq":1,"kind":"send","process":"a","to":"b","msg":{"type":"M"},"state":{"value":"up"}}', { processes });
    expect(send).toEqual({ seq: 1, kind: 'send', process: 'a', to: 'b', msg: { type: 'M' }, line: 1 });
  });

  test('each bad field of each kind is one line naming it', () => {
    const bad = [
      '{"seq":1,"kind":"receive","process":"a","from":7,"msg":{"type":"M"}}',
      '{"seq":2,"kind":"timeout","process":"a","event":{"kind":"T"}}',
      '{"seq":3,"kind":"crash","process":"z"}',
      '{"seq":4,"kind":"heal","partition":3}',
      '{"seq":5,"kind":"drop","from":"a","to":"q","msg":{"type":"M"}}',
      '{"seq":6,"time":"noon","kind":"tick"}',
      '{"seq":7,"kind":"internal","process":"a","event":{"type":"I"},"state":{"context":[1]}}',
    ];
    let error: unknown;
    try {
      parseLog(bad.join('\n'), { processes, partitions, file: 'x.jsonl' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LogError);
    expect((error as LogError).problems).toEqual([
      'x.jsonl:1: "from" must be a process name, not 7',
      'x.jsonl:2: "event" must be an object with a string "type", not {"kind":"T"}',
      "x.jsonl:3: unknown process 'z' in \"process\" (processes: a, b)",
      'x.jsonl:4: "partition" must be a partition\'s name, not 3',
      "x.jsonl:5: unknown process 'q' in \"to\" (processes: a, b)",
      'x.jsonl:6: "time" must be a number, not "noon"',
      'x.jsonl:7: "state.context" must be an object, not [1]',
    ]);
  });
});
