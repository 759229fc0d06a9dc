/**
 * A customer-service agent, one task per user message (3–5 llm calls, DESIGN.md's figure):
 *
 *   route → load conversation → intent → look up customer → retrieve articles
 *         → draft answer → safety check → format (what the user reads) → save conversation
 *
 * Small talk never reaches the models: the keyword router answers it. Some tenants carry the
 * habits the recommendations find: intent classified by the frontier model although the 7B
 * model answers the same question in ~50 ms, the final answer sent in one block instead of
 * streamed, a slow legacy conversation store, the same customer looked up again every turn right
 * after the intent call, and a history that keeps every retrieved article, so prompts (and time
 * to first token) grow turn after turn.
 */
import { orchestration, state, task, tool, wrapAnthropic, wrapOpenAI } from '@threshold/sdk';
import type { CustomerServiceSession, SessionPlan } from '../scenario/session-plan.js';
import { DEMO_MODELS } from '../simulation/demo-models.js';
import type { ConversationMessage } from '../simulation/session-store.js';
import type { Agent, AgentContext } from './agent-context.js';

type Session = CustomerServiceSession & SessionPlan;

const INTENT_PROMPT = 'Classify the customer message as one of: faq, order, billing. Answer with the label only.';
const SAFETY_PROMPT = 'Does this reply leak personal data or promise a refund we cannot give? Answer safe or unsafe.';
const DRAFT_PROMPT = 'You are a support agent. Answer the last message using the articles provided.';

/** Articles retrieved per question: FAQs need two; order and billing questions pull in eight. */
const ARTICLES = { faq: 2, detailed: 8 };

export function createCustomerServiceAgent(context: AgentContext): Agent<Session> {
  const intentClient = wrapOpenAI(context.openai, { purpose: 'intent' });
  const safetyClient = wrapOpenAI(context.openai, { purpose: 'safety' });
  const formatClient = wrapOpenAI(context.openai, { purpose: 'format' });
  const answerClient = wrapAnthropic(context.anthropic, { purpose: 'answer' });

  /** Streams an answer from Claude, calling `onFirstText` when its first words arrive. */
  const streamAnswer = async (model: string, maxTokens: number, messages: ConversationMessage[], onFirstText?: () => void): Promise<string> => {
    const stream = answerClient.messages.stream({ model, max_tokens: maxTokens, system: DRAFT_PROMPT, messages });
    if (onFirstText) stream.once('text', onFirstText);
    return stream.finalText();
  };

  const smallTalk = (session: Session, turnIndex: number) =>
    task('small-talk', { taskClass: 'simple', sessionId: session.sessionId, turn: turnIndex + 1 }, async (current) => {
      await orchestration.route('keyword-router', () => context.latency.wait(3, 0.5, 'keyword-router', session.sessionId, turnIndex));
      current.firstOutput();
    });

  const answerTicket = (session: Session, turnIndex: number) => {
    const turn = session.turns[turnIndex];
    const { sessionId, customerId } = session;
    return task('answer-ticket', { taskClass: 'simple', sessionId, turn: turnIndex + 1 }, async (current) => {
      await orchestration.route('keyword-router', () => context.latency.wait(3, 0.5, 'keyword-router', sessionId, turnIndex));
      const conversation = await state.load('conversation', () => context.sessions.load(session.store, sessionId, turnIndex));

      const intentModel = session.intentOnLargeModel ? DEMO_MODELS.large : DEMO_MODELS.small;
      await intentClient.chat.completions.create({
        model: intentModel,
        max_tokens: 2,
        messages: [
          { role: 'system', content: INTENT_PROMPT },
          { role: 'user', content: turn.message },
        ],
      });
      const customer = await tool('lookup_customer', { args: { customerId } }, () => context.knowledgeBase.lookupCustomer(customerId, sessionId, turnIndex));
      const articleCount = turn.intent === 'faq' ? ARTICLES.faq : ARTICLES.detailed;
      const articles = await state.retrieve('help-centre', () => context.knowledgeBase.search(turn.message, articleCount, sessionId, turnIndex));
      const grounding = articles.map((article) => `${article.title}: ${article.body}`).join('\n');
      conversation.messages.push({ role: 'user', content: `${turn.message}\n[customer ${customer.customerId}, ${customer.plan} plan]\n${grounding}` });

      let answer: string;
      if (turn.intent === 'faq') {
        // A short answer straight from the fast model, streamed to the user.
        answer = await streamAnswer(DEMO_MODELS.haiku, turn.answerTokens, conversation.messages, () => current.firstOutput());
      } else {
        const draft = await streamAnswer(DEMO_MODELS.sonnet, turn.answerTokens, conversation.messages);
        await safetyClient.chat.completions.create({
          model: DEMO_MODELS.small,
          max_tokens: 1,
          messages: [
            { role: 'system', content: SAFETY_PROMPT },
            { role: 'user', content: draft },
          ],
        });
        const formatRequest = {
          model: DEMO_MODELS.mini,
          max_tokens: turn.answerTokens,
          messages: [{ role: 'user' as const, content: `Format for chat, keep it friendly:\n${draft}` }],
        };
        if (session.blockingAnswer) {
          // The legacy integration waits for the whole formatted answer before showing any of it.
          const completion = await formatClient.chat.completions.create(formatRequest);
          current.firstOutput();
          answer = completion.choices[0]?.message.content ?? '';
        } else {
          answer = '';
          const stream = await formatClient.chat.completions.create({ ...formatRequest, stream: true, stream_options: { include_usage: true } });
          for await (const chunk of stream) {
            const text = chunk.choices[0]?.delta?.content;
            if (!text) continue;
            if (answer === '') current.firstOutput();
            answer += text;
          }
        }
      }
      conversation.messages.push({ role: 'assistant', content: answer });
      await state.save('conversation', () => context.sessions.save(session.store, conversation, turnIndex));
    });
  };

  return {
    runTurn: (session, turnIndex) => (session.turns[turnIndex].intent === 'small-talk' ? smallTalk(session, turnIndex) : answerTicket(session, turnIndex)),
  };
}
