import type { PlannedSpan } from './export-traces';

const task = (name: string, endMs: number, attributes: PlannedSpan['attributes'] = {}, children: PlannedSpan[] = []): PlannedSpan => ({
  name: `invoke_agent ${name}`,
  startMs: 0,
  endMs,
  attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': name, ...attributes },
  children,
});

const llm = (name: string, startMs: number, endMs: number, attributes: PlannedSpan['attributes'] = {}): PlannedSpan => ({
  name,
  startMs,
  endMs,
  attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o', ...attributes },
});

const tool = (toolName: string, startMs: number, endMs: number, attributes: PlannedSpan['attributes'] = {}): PlannedSpan => ({
  name: `execute_tool ${toolName}`,
  startMs,
  endMs,
  attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': toolName, ...attributes },
});

const state = (name: string, operation: string, startMs: number, endMs: number): PlannedSpan => ({
  name,
  startMs,
  endMs,
  attributes: { 'threshold.state.operation': operation },
});

/** What a hostile attribute value looks like: markup that would run script if rendered as HTML. */
export const HOSTILE_VALUE = '<img src=x onerror="window.__thresholdXss=1">';

/**
 * The answer-ticket task, ms after its base:
 *
 *   0                                                                    3000
 *   invoke_agent answer-ticket ═════════════════════════════════════════════   critical
 *   load session ═ 0–40                                                        critical
 *    chat intent  ═══ 40–340 (streamed, first token at 100 ms, 12 chunks,      critical
 *                             longest pause 120 ms from 150 ms in)
 *         execute_tool search_kb    ═══════ 340–940 (hostile attribute)          critical
 *         execute_tool fetch_profile ═══ 340–600 (beside search_kb, ends first)  not critical
 *                  execute_tool lookup_order ═══════ 940–1540                   critical
 *                         chat answer ══════════════════ 1540–2960 (not streamed) critical
 *                                                     save session ═ 2960–3000  critical
 */
export const ANSWER_TICKET = task('answer-ticket', 3000, { 'gen_ai.conversation.id': 'ticket-42' }, [
  state('load session', 'load', 0, 40),
  llm('chat intent', 40, 340, {
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.request.stream': true,
    'gen_ai.response.time_to_first_chunk': 0.1,
    'gen_ai.usage.input_tokens': 800,
    'gen_ai.usage.output_tokens': 12,
    'threshold.llm.purpose': 'intent',
    'threshold.llm.chunks': 12,
    'threshold.llm.max_chunk_gap_ms': 120,
    'threshold.llm.max_chunk_gap_start_ms': 150,
  }),
  tool('search_kb', 340, 940, { 'kb.query': HOSTILE_VALUE, 'threshold.tool.args_hash': 'a1' }),
  tool('fetch_profile', 340, 600, { 'threshold.tool.args_hash': 'b2' }),
  tool('lookup_order', 940, 1540, { 'threshold.tool.args_hash': 'c3' }),
  llm('chat answer', 1540, 2960, { 'gen_ai.request.stream': false, 'gen_ai.usage.input_tokens': 2400, 'gen_ai.usage.output_tokens': 420 }),
  state('save session', 'save', 2960, 3000),
]);

export const ANSWER_TICKET_CRITICAL = [
  'invoke_agent answer-ticket',
  'load session',
  'chat intent',
  'execute_tool search_kb',
  'execute_tool lookup_order',
  'chat answer',
  'save session',
];

/** Plain tasks, one duration per UX band (plus a complex-class one), to fill the overview. */
export const BAND_TASKS: PlannedSpan[] = [
  task('greet', 60),
  task('classify', 300),
  task('summarize', 1200),
  task('plan-trip', 2500),
  task('research', 6000),
  task('deep-research', 12_000),
  task('write-report', 4000, { 'threshold.task.class': 'complex' }),
];

/** Three turns of one conversation, context growing each turn. */
export const SESSION_TURNS: PlannedSpan[] = [1, 2, 3].map((turn) =>
  task('chat-turn', 400 + turn * 400, { 'gen_ai.conversation.id': 'session-demo', 'threshold.turn': turn }, [
    llm(`chat turn ${turn}`, 20, 380 + turn * 400, {
      'gen_ai.request.stream': true,
      'gen_ai.response.time_to_first_chunk': 0.2 * turn,
      'gen_ai.usage.input_tokens': 1000 * turn * turn,
      'gen_ai.usage.output_tokens': 80,
    }),
  ]),
);
