#!/usr/bin/env node
/**
 * Cost of recommendations per analysed trace: the collector runs every rule on every trace it
 * analyses (each finding's saving is a re-analysis of the edited trace), so this must stay small
 * next to analysis itself. Measures, on the built packages:
 *   - typical: 20-span agent turns (intent, tools in sequence, a cached repeat, a streamed
 *     answer) with a cross-trace index of 5,000 earlier turns: rules per trace, and analysis alone
 *   - wide: one task running 9,999 tools back to back (one 9,999-tool parallelize finding)
 *
 *   node bench/recommendations.mjs   (after `npx tsc -b`; `npm run bench -- recommendations` builds first)
 */
import { analyseTrace, observeTrace, RuleContextIndex, runRules } from '../packages/core/dist/index.js';

const RUNS = 7;
const MIN_RUN_MS = 300;
const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-5'];
const TOOLS = ['search_docs', 'lookup_order', 'run_sql', 'fetch_url'];
const ms = (value) => Math.round(value * 1e6);

function span(spanId, parentSpanId, category, startMs, endMs, extra = {}) {
  return {
    spanId,
    parentSpanId,
    name: spanId,
    service: 'bench',
    category,
    classifier: 'threshold',
    startNs: ms(startMs),
    endNs: ms(endMs),
    status: 'ok',
    attributes: {},
    ...extra,
  };
}

/** A 20-span turn: intent, 3 sequential tools, llm, repeat lookup, 5 tool/llm pairs, answer. */
function typicalTrace(i) {
  const spans = [span('root', undefined, 'task', 0, 0, { task: { sessionId: `s${i % 200}` } })];
  let t = 0;
  const model = MODELS[i % MODELS.length];
  const add = (id, category, durationMs, extra) => {
    spans.push(span(id, 'root', category, t, t + durationMs, extra));
    t += durationMs;
  };
  add('intent', 'llm', 300 + (i % 7) * 40, { llm: { model, purpose: 'intent', inputTokens: 300, outputTokens: 4, streaming: false } });
  for (let k = 0; k < 3; k++) add(`tool${k}`, 'tool', 80 + ((i + k) % 5) * 30, { tool: { name: TOOLS[k], argsHash: `a${k}` } });
  add('plan', 'llm', 700, { llm: { model, inputTokens: 1000 + (i % 10) * 500, outputTokens: 60, ttftMs: 250, streaming: true } });
  add('again', 'tool', 90, { tool: { name: TOOLS[0], argsHash: 'a0' } });
  for (let k = 0; k < 6; k++) {
    add(`step${k}`, 'llm', 400, { llm: { model, inputTokens: 2000, outputTokens: 80, ttftMs: 200, streaming: true } });
    add(`call${k}`, 'tool', 120, { tool: { name: TOOLS[k % TOOLS.length], argsHash: `c${k}` } });
  }
  add('answer', 'llm', 1500, { llm: { model, inputTokens: 3000, outputTokens: 300, streaming: false } });
  spans[0].endNs = ms(t + 10);
  return analyseTrace({ spans, traceStartUnixNano: BigInt(1_700_000_000_000 + i * 1000) * 1_000_000n, traceId: `t${i}` });
}

function wideTrace() {
  const spans = [span('root', undefined, 'task', 0, 10_000)];
  for (let i = 0; i < 9_999; i++) spans.push(span(`s${i}`, 'root', 'tool', i, i + 1, { tool: { name: 'step' } }));
  return analyseTrace({ spans, traceStartUnixNano: 1_700_000_000_000_000_000n, traceId: 'wide' });
}

/** Median over RUNS of the mean ms per call of `work`, after a second of warm-up (JIT, GC of set-up garbage). */
function measure(work) {
  const perCall = [];
  for (let calls = 0, start = performance.now(); performance.now() - start < 1_000; calls++) work(calls);
  for (let run = 0; run < RUNS; run++) {
    let calls = 0;
    const start = performance.now();
    while (performance.now() - start < MIN_RUN_MS) {
      work(calls);
      calls++;
    }
    perCall.push((performance.now() - start) / calls);
  }
  return perCall.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

// The index holds observations only (as in the collector); 200 analyses are kept to evaluate.
const index = new RuleContextIndex();
for (let i = 200; i < 5_000; i++) index.add(observeTrace(typicalTrace(i)));
const sample = Array.from({ length: 200 }, (_, i) => typicalTrace(i));
for (const trace of sample) index.add(observeTrace(trace));
const context = index.context();
const findingsPerTrace = runRules(sample[0], context).findings.map((finding) => finding.ruleId);

const rulesMs = measure((i) => runRules(sample[i % sample.length], context));
const analysisMs = measure((i) => typicalTrace(i % 200));
const fresh = Array.from({ length: 2_000 }, (_, i) => observeTrace(typicalTrace(10_000 + i)));
const indexMs = measure((i) => index.add(fresh[i % fresh.length]));
const wide = wideTrace();
const wideRulesMs = measure(() => runRules(wide, context));
const wideAnalysisMs = measure(() => wideTrace());

const round = (value) => Math.round(value * 1000) / 1000;
console.log(`typical 20-span trace, index of ${index.size} traces; findings: ${findingsPerTrace.join(', ')}`);
console.log(`  rules per trace:        ${round(rulesMs)} ms  (${Math.round(1000 / rulesMs)} traces/s)`);
console.log(`  analysis per trace:     ${round(analysisMs)} ms  (rules ÷ analysis = ${round(rulesMs / analysisMs)})`);
console.log(`  indexing per trace:     ${round(indexMs)} ms  (first add; a re-analysed trace replaces its earlier entry)`);
console.log(`wide 10,000-span trace`);
console.log(`  rules:                  ${round(wideRulesMs)} ms`);
console.log(`  analysis:               ${round(wideAnalysisMs)} ms  (rules ÷ analysis = ${round(wideRulesMs / wideAnalysisMs)})`);
