import { describe, expect, it } from 'vitest';
import { applyEdits, projectSaving } from '../../packages/core/src/what-if/index.js';
import { analysed, sketch, timings } from './recommendations-fixtures.js';

describe('what-if on a tool that held a streamed llm span open beside it (OpenLLMetry)', () => {
  //  0     100       300          600 610
  //  task |==============================|
  //  chat |=============================|     llm, streamed, TTFT 100; open until the loop ends
  //  lookup          |============|           tool, the chat span's sibling, run inside the loop
  const spans = () => [
    sketch('task', 0, 610),
    sketch('chat', 0, 610, { parent: 'task', llm: { model: 'm', streaming: true, ttftMs: 100 } }),
    sketch('lookup', 300, 600, { parent: 'task', tool: { name: 'lookup' } }),
  ];

  it('shortening the tool closes the call, and the task, as much sooner', () => {
    //  lookup 300 → 100 ms: lookup 300–400, chat closes 10 ms later at 410, task ends with it
    expect(timings(applyEdits(spans(), [{ kind: 'shorten', spanId: 'lookup', durationMs: 100 }]))).toEqual([
      ['task', 0, 410],
      ['chat', 0, 410],
      ['lookup', 300, 400],
    ]);
  });

  it('so caching it saves its whole 300 ms, as the breakdown attributes them to the tool', () => {
    const trace = analysed(spans());
    expect(trace.summary.breakdown).toMatchObject({ tool: 300, llm: 310 });
    expect(projectSaving(trace, [{ kind: 'shorten', spanId: 'lookup', durationMs: 0 }]).durationMs).toBe(300);
  });
});
