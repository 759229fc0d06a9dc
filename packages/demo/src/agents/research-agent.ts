/**
 * A research agent, one task per question (50+ llm calls):
 *
 *   load notes → plan (reasoning model) → search ×6–9 → per result page: fetch, check relevance,
 *   summarise (through a shared summariser pool) → write the report (streamed) → save notes
 *
 * What the recommendations find here: the first three searches of each turn run one after
 * another although none needs another's result (and the third repeats the first), the topic is
 * searched again every turn, and the notes (every summary so far) ride along in every prompt, so
 * each turn is slower than the last.
 */
import { orchestration, state, task, tool, wrapOpenAI } from '@threshold/sdk';
import type { ResearchSession, SessionPlan } from '../scenario/session-plan.js';
import { DEMO_MODELS } from '../simulation/demo-models.js';
import { SlotPool } from '../simulation/slot-pool.js';
import type { SearchResult } from '../simulation/web.js';
import type { Agent, AgentContext } from './agent-context.js';

type Session = ResearchSession & SessionPlan;

/** Pages one research turn reads at the same time. */
const PAGES_AT_ONCE = 8;

export function createResearchAgent(context: AgentContext): Agent<Session> {
  const planner = wrapOpenAI(context.openai, { purpose: 'plan' });
  const relevance = wrapOpenAI(context.openai, { purpose: 'classification' });
  const summariser = wrapOpenAI(context.openai, { purpose: 'summarize' });
  const writer = wrapOpenAI(context.openai, { purpose: 'answer' });

  const search = (query: string, sessionId: string): Promise<SearchResult[]> =>
    tool('web_search', { args: { query } }, () => context.web.search(query, sessionId));

  /** Fetches one page, asks the small model whether it is relevant, and summarises it. */
  const readPage = async (page: SearchResult, question: string, sessionId: string): Promise<string> => {
    const text = await tool('fetch_page', { args: { url: page.url } }, () => context.web.fetchPage(page.url, sessionId));
    await relevance.chat.completions.create({
      model: DEMO_MODELS.small,
      max_tokens: 1,
      messages: [{ role: 'user', content: `Relevant to "${question}"? yes/no\n${text.slice(0, 60)}` }],
    });
    const release = await orchestration.queue('summarizer-pool', () => context.summarizerPool.acquire());
    try {
      const summary = await summariser.chat.completions.create({
        model: DEMO_MODELS.mini,
        max_tokens: 70,
        messages: [{ role: 'user', content: `Summarise for "${question}":\n${text}` }],
      });
      return `${page.title}: ${summary.choices[0]?.message.content ?? ''}`;
    } finally {
      release();
    }
  };

  return {
    runTurn: (session, turnIndex) => {
      const turn = session.turns[turnIndex];
      const { sessionId } = session;
      return task('research-question', { taskClass: 'complex', sessionId, turn: turnIndex + 1 }, async (current) => {
        const notes = await state.load('research-notes', () => context.sessions.load(session.store, sessionId, turnIndex));

        await orchestration.rateLimit('reasoning-quota', () => context.latency.wait(30, 0.8, 'reasoning-quota', sessionId, turnIndex));
        await planner.chat.completions.create({
          model: DEMO_MODELS.reasoning,
          max_tokens: 60,
          messages: [...notes.messages, { role: 'user', content: `${turn.question}. Plan the searches.` }],
        });

        const results: SearchResult[][] = [];
        for (const query of turn.queries.slice(0, turn.sequentialQueries)) results.push(await search(query, sessionId));
        results.push(...(await Promise.all(turn.queries.slice(turn.sequentialQueries).map((query) => search(query, sessionId)))));

        // Pages are read a few at a time, as a polite crawler does.
        const pages = results.flatMap((hits) => hits.slice(0, turn.pagesPerQuery));
        const readers = new SlotPool(PAGES_AT_ONCE);
        const summaries = await Promise.all(
          pages.map(async (page) => {
            const release = await readers.acquire();
            try {
              return await readPage(page, turn.question, sessionId);
            } finally {
              release();
            }
          }),
        );

        const stream = await writer.chat.completions.create({
          model: DEMO_MODELS.large,
          max_tokens: turn.answerTokens,
          stream: true,
          stream_options: { include_usage: true },
          messages: [...notes.messages, { role: 'user', content: `${turn.question}\n\nSources:\n${summaries.join('\n')}` }],
        });
        let report = '';
        for await (const chunk of stream) {
          const text = chunk.choices[0]?.delta?.content;
          if (!text) continue;
          if (report === '') current.firstOutput();
          report += text;
        }

        notes.messages.push({ role: 'user', content: `${turn.question}\n${summaries.join('\n')}` }, { role: 'assistant', content: report });
        await state.save('research-notes', () => context.sessions.save(session.store, notes, turnIndex));
      });
    },
  };
}
