import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../packages/core/src/what-if/apply-edits.js';
import { sketch, timings } from './recommendations-fixtures.js';

describe('applyEdits', () => {
  it('leaves every span where it was when there are no edits', () => {
    const spans = [
      sketch('root', 0, 1000),
      sketch('a', 10, 300, { parent: 'root' }),
      sketch('b', 200, 900, { parent: 'root' }),
      sketch('c', 950, 1200, { parent: 'root' }), // skewed: ends after its parent
    ];
    expect(timings(applyEdits(spans, []))).toEqual(timings(spans));
  });

  it('starting sequential tools with the first moves the tools and everything after them', () => {
    //  before                                   after
    //  0    100  200  300       500  550        0    100       300  350
    //  root |==================================|  |=========================|
    //  t1   |====|                               |====|
    //  t2        |====|                          |====|
    //  t3             |====|                     |====|
    //  llm                 |=========|                |=========|
    //                        (root's own 50 ms tail)            (tail kept)
    const spans = [
      sketch('root', 0, 550),
      sketch('t1', 0, 100, { parent: 'root', tool: { name: 'a' } }),
      sketch('t2', 100, 200, { parent: 'root', tool: { name: 'b' } }),
      sketch('t3', 200, 300, { parent: 'root', tool: { name: 'c' } }),
      sketch('llm', 300, 500, { parent: 'root', llm: { model: 'm' } }),
    ];
    const after = applyEdits(spans, [{ kind: 'start-with', anchorSpanId: 't1', spanIds: ['t2', 't3'] }]);
    expect(timings(after)).toEqual([
      ['root', 0, 350],
      ['t1', 0, 100],
      ['t2', 0, 100],
      ['t3', 0, 100],
      ['llm', 100, 300],
    ]);
  });

  it('a sibling that waited on a longer parallel span does not move when a shorter one shrinks', () => {
    //  0    100       300  400                  0  50     300  400
    //  a    |====|                              a  |=|
    //  b    |=========|                         b  |=========|
    //  c              |====|  waits on b        c            |====|
    const spans = [
      sketch('root', 0, 400),
      sketch('a', 0, 100, { parent: 'root' }),
      sketch('b', 0, 300, { parent: 'root' }),
      sketch('c', 300, 400, { parent: 'root' }),
    ];
    const after = applyEdits(spans, [{ kind: 'shorten', spanId: 'a', durationMs: 50 }]);
    expect(timings(after)).toEqual([
      ['root', 0, 400],
      ['a', 0, 50],
      ['b', 0, 300],
      ['c', 300, 400],
    ]);
  });

  it('dropping a repeated call shifts later siblings, the parent, and the parent’s later siblings', () => {
    //  before (ms)                               after
    //  0  50      250     450 480 500 520       0  50      250 280 300 320
    //  root |============================|       |===================|
    //  step |========================|           |===============|
    //   get     |=======|                           |=======|
    //   get2            |=======|  repeat                   |  0 ms
    //   llm                     |=|                         |=|
    //  save                          |=|                            |=|
    const spans = [
      sketch('root', 0, 520),
      sketch('step', 0, 500, { parent: 'root' }),
      sketch('get', 50, 250, { parent: 'step', tool: { name: 'get', argsHash: 'x' } }),
      sketch('get2', 250, 450, { parent: 'step', tool: { name: 'get', argsHash: 'x' } }),
      sketch('llm', 450, 480, { parent: 'step', llm: {} }),
      sketch('save', 500, 520, { parent: 'root', category: 'state' }),
    ];
    const after = applyEdits(spans, [{ kind: 'shorten', spanId: 'get2', durationMs: 0 }]);
    // step: 50 lead + 200 get + 0 get' + 30 llm + 20 own tail = 300; save follows step.
    expect(timings(after)).toEqual([
      ['root', 0, 320],
      ['step', 0, 300],
      ['get', 50, 250],
      ['get2', 250, 250],
      ['llm', 250, 280],
      ['save', 300, 320],
    ]);
  });

  it('speculating a tool alongside the llm call it waited on saves the shorter of the two', () => {
    //  0         200  300        500            0         200       400
    //  llm1 |=========|                         llm1 |=========|
    //  tool           |====|                    tool |====|
    //  llm2                |=========|          llm2           |=========|
    const spans = [
      sketch('root', 0, 500),
      sketch('llm1', 0, 200, { parent: 'root', llm: {} }),
      sketch('tool', 200, 300, { parent: 'root', tool: { name: 'search' } }),
      sketch('llm2', 300, 500, { parent: 'root', llm: {} }),
    ];
    const after = applyEdits(spans, [{ kind: 'start-with', anchorSpanId: 'llm1', spanIds: ['tool'] }]);
    expect(timings(after)).toEqual([
      ['root', 0, 400],
      ['llm1', 0, 200],
      ['tool', 0, 100],
      ['llm2', 200, 400],
    ]);
  });

  it('shortening a span squeezes its children and keeps the gap before the next sibling', () => {
    //  0        400 410   510         0    200 210  310
    //  http |========|                http |====|
    //   dns |==|        (0–100)        dns |=|      (0–50)
    //   body    |====|  (100–400)      body  |==|   (50–200)
    //  next          |====|           next       |====|
    const spans = [
      sketch('root', 0, 510),
      sketch('http', 0, 400, { parent: 'root', tool: { name: 'fetch' } }),
      sketch('dns', 0, 100, { parent: 'http' }),
      sketch('body', 100, 400, { parent: 'http' }),
      sketch('next', 410, 510, { parent: 'root' }),
    ];
    const after = applyEdits(spans, [{ kind: 'shorten', spanId: 'http', durationMs: 200 }]);
    expect(timings(after)).toEqual([
      ['root', 0, 310],
      ['http', 0, 200],
      ['dns', 0, 50],
      ['body', 50, 200],
      ['next', 210, 310],
    ]);
  });

  it('moves an explicit first-output moment with the work before it', () => {
    const spans = [
      sketch('root', 0, 600, { firstOutputMs: 350 }),
      sketch('tool', 0, 300, { parent: 'root', tool: { name: 'slow' } }),
      sketch('llm', 300, 600, { parent: 'root', llm: {} }),
    ];
    const after = applyEdits(spans, [{ kind: 'shorten', spanId: 'tool', durationMs: 100 }]);
    expect(after[0].firstOutputNs).toEqual(150e6);
    expect(timings(after)).toEqual([
      ['root', 0, 400],
      ['tool', 0, 100],
      ['llm', 100, 400],
    ]);
  });

  it('streams an llm call: same timing, streaming with the given TTFT and the TPOT that follows', () => {
    const spans = [
      sketch('root', 0, 1000),
      sketch('llm', 0, 1000, { parent: 'root', llm: { model: 'm', streaming: false, outputTokens: 41 } }),
    ];
    const after = applyEdits(spans, [{ kind: 'stream', spanId: 'llm', ttftMs: 200 }]);
    expect(timings(after)).toEqual(timings(spans));
    expect(after[1].llm).toEqual({ model: 'm', streaming: true, ttftMs: 200, outputTokens: 41, tpotMs: 20 });
  });

  it('a routed call takes the new model, duration and TTFT', () => {
    const spans = [sketch('root', 0, 900), sketch('llm', 100, 900, { parent: 'root', llm: { model: 'big', ttftMs: 500 } })];
    const after = applyEdits(spans, [{ kind: 'shorten', spanId: 'llm', durationMs: 100, ttftMs: 60, model: 'small' }]);
    expect(timings(after)).toEqual([
      ['root', 0, 200],
      ['llm', 100, 200],
    ]);
    expect(after[1].llm).toEqual({ model: 'small', ttftMs: 60 });
  });

  it('ignores edits naming unknown spans, non-siblings or later anchors, and never lengthens a span', () => {
    const spans = [
      sketch('root', 0, 300),
      sketch('a', 0, 100, { parent: 'root' }),
      sketch('b', 100, 200, { parent: 'root' }),
      sketch('b1', 100, 150, { parent: 'b' }),
      sketch('c', 200, 300, { parent: 'root' }),
    ];
    const after = applyEdits(spans, [
      { kind: 'start-with', anchorSpanId: 'missing', spanIds: ['b'] },
      { kind: 'start-with', anchorSpanId: 'a', spanIds: ['b1'] },
      { kind: 'start-with', anchorSpanId: 'c', spanIds: ['a'] },
      { kind: 'shorten', spanId: 'missing', durationMs: 0 },
      { kind: 'shorten', spanId: 'a', durationMs: 500 },
      { kind: 'stream', spanId: 'nope', ttftMs: 1 },
    ]);
    expect(timings(after)).toEqual(timings(spans));
  });
});
