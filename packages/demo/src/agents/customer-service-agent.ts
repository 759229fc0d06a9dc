/**
 * A customer-service agent, one task per user message (3–5 llm calls, docs/DESIGN.md's figure):
 *
 *   route → load conversation → intent → look up customer → retrieve articles
 *     FAQ:            → answer (fast model, streamed) → safety check
 *     order, billing: → decide the next step → fetch the order or invoice → draft the answer
 *                     → safety check → format (what the user reads)
 *   → save conversation
 *
 * Small talk never reaches that flow: the keyword router answers greetings itself and lets the
 * 7B model reply to thanks and goodbyes. Some tenants carry the habits the recommendations find: intent
 * and safety checks on the frontier model although the 7B model answers the same questions in ~50 ms,
 * the final answer sent in one block instead of streamed, a slow legacy conversation store, the
 * same customer looked up again every turn right after the intent call, and a history that keeps
 * every retrieved article, so prompts (and time to first token) grow turn after turn.
 */
import { orchestration, state, task, tool, wrapAnthropic, wrapOpenAI } from '@threshold/sdk';
import { type CustomerServiceSession, isSmallTalk, type SessionPlan } from '../scenario/session-plan.js';
import { DEMO_MODELS } from '../simulation/demo-models.js';
import type { ConversationMessage } from '../simulation/session-store.js';
import type { Agent, AgentContext } from './agent-context.js';

type Session = CustomerServiceSession & SessionPlan;

const INTENT_PROMPT = 'Classify the customer message as one of: faq, order, billing. Answer with the label only.';
const NEXT_STEP_PROMPT = 'You are a support agent. Say which record you need to answer the last message.';
const DRAFT_PROMPT = 'You are a support agent. Answer the last message using the articles and records provided.';
const SAFETY_PROMPT = 'Does this reply leak personal data or promise a refund we cannot give? Answer safe or unsafe.';

/** Articles retrieved per question: FAQs need two; order and billing questions pull in twelve. */
const ARTICLES = { faq: 2, detailed: 12 };

export function createCustomerServiceAgent(context: AgentContext): Agent<Session> {
  const intentClient = wrapOpenAI(context.openai, { purpose: 'intent' });
  const safetyClient = wrapOpenAI(context.openai, { purpose: 'safety' });
  const formatClient = wrapOpenAI(context.openai, { purpose: 'format' });
  const chatClient = wrapOpenAI(context.openai, { purpose: 'small-talk' });
  const planClient = wrapAnthropic(context.anthropic, { purpose: 'plan' });
  const answerClient = wrapAnthropic(context.anthropic, { purpose: 'answer' });

  /** Streams Claude's reply to the conversation; `onFirstText` runs when its first words arrive. */
  const streamReply = (
    client: typeof answerClient,
    system: string,
    model: string,
    maxTokens: number,
    messages: ConversationMessage[],
    onFirstText?: () => void,
  ) => {
    const stream = client.messages.stream({ model, max_tokens: maxTokens, system, messages });
    if (onFirstText) stream.once('text', onFirstText);
    return stream.finalText();
  };

  /** Streams an OpenAI chat completion to the user; marks first output at the first words. */
  const streamToUser = async (
    client: typeof formatClient,
    request: { model: string; max_tokens: number; messages: ConversationMessage[] },
    onFirstText: () => void,
  ) => {
    const stream = await client.chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } });
    let text = '';
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta?.content;
      if (!delta) continue;
      if (text === '') onFirstText();
      text += delta;
    }
    return text;
  };

  const smallTalk = (session: Session, turnIndex: number) => {
    const turn = session.turns[turnIndex];
    return task('small-talk', { taskClass: 'simple', sessionId: session.sessionId, turn: turnIndex + 1 }, async (current) => {
      await orchestration.route('keyword-router', () => context.latency.wait(3, 0.5, 'keyword-router', session.sessionId, turnIndex));
      if (turn.intent === 'greeting') {
        current.firstOutput(); // a canned greeting
        return;
      }
      const request = {
        model: DEMO_MODELS.small,
        max_tokens: turn.answerTokens,
        messages: [{ role: 'user' as const, content: `Reply briefly and kindly: ${turn.message}` }],
      };
      await streamToUser(chatClient, request, () => current.firstOutput());
    });
  };

  const answerTicket = (session: Session, turnIndex: number) => {
    const turn = session.turns[turnIndex];
    const { sessionId, customerId } = session;
    return task('answer-ticket', { taskClass: 'simple', sessionId, turn: turnIndex + 1 }, async (current) => {
      await orchestration.route('keyword-router', () => context.latency.wait(3, 0.5, 'keyword-router', sessionId, turnIndex));
      const conversation = await state.load('conversation', () => context.sessions.load(session.store, sessionId, turnIndex));

      // Legacy tenants run every simple call (intent, safety) on the frontier model.
      const simpleModel = session.simpleCallsOnLargeModel ? DEMO_MODELS.large : DEMO_MODELS.small;
      await intentClient.chat.completions.create({
        model: simpleModel,
        max_tokens: 2,
        messages: [
          { role: 'system', content: INTENT_PROMPT },
          { role: 'user', content: turn.message },
        ],
      });
      const customer = await tool('lookup_customer', { args: { customerId } }, () =>
        context.knowledgeBase.lookupCustomer(customerId, sessionId, turnIndex),
      );
      const articleCount = turn.intent === 'faq' ? ARTICLES.faq : ARTICLES.detailed;
      const articles = await state.retrieve('help-centre', () =>
        context.knowledgeBase.search(turn.message, articleCount, sessionId, turnIndex),
      );
      const grounding = articles.map((article) => `${article.title}: ${article.body}`).join('\n');
      conversation.messages.push({
        role: 'user',
        content: `${turn.message}\n[customer ${customer.customerId}, ${customer.plan} plan]\n${grounding}`,
      });

      let answer: string;
      const checkSafety = (reply: string) =>
        safetyClient.chat.completions.create({
          model: simpleModel,
          max_tokens: 1,
          messages: [
            { role: 'system', content: SAFETY_PROMPT },
            { role: 'user', content: reply },
          ],
        });
      if (turn.intent === 'faq') {
        answer = await streamReply(answerClient, DRAFT_PROMPT, DEMO_MODELS.haiku, turn.answerTokens, conversation.messages, () =>
          current.firstOutput(),
        );
        await checkSafety(answer); // after the fact: FAQ answers come from vetted articles
      } else {
        const recordKind = turn.intent === 'order' ? 'order' : 'billing';
        await streamReply(planClient, NEXT_STEP_PROMPT, DEMO_MODELS.sonnet, 12, conversation.messages);
        const record = await tool(recordKind === 'order' ? 'get_order_status' : 'get_invoice', { args: { customerId } }, () =>
          context.backOffice.fetchRecord(recordKind, customerId, sessionId, turnIndex),
        );
        const draft = await streamReply(answerClient, DRAFT_PROMPT, DEMO_MODELS.sonnet, turn.answerTokens, [
          ...conversation.messages.slice(0, -1),
          { role: 'user', content: `${conversation.messages.at(-1)!.content}\n[record] ${record}` },
        ]);
        await checkSafety(draft);
        const formatRequest = {
          model: DEMO_MODELS.mini,
          max_tokens: turn.answerTokens,
          messages: [{ role: 'user' as const, content: `Format for chat, keep it friendly:\n${draft}` }],
        };
        if (session.blockingAnswer) {
          // The legacy integration waits for the whole formatted answer and posts it when the
          // task returns: the user sees nothing before the end (perceived latency = duration).
          const completion = await formatClient.chat.completions.create(formatRequest);
          answer = completion.choices[0]?.message.content ?? '';
        } else {
          answer = await streamToUser(formatClient, formatRequest, () => current.firstOutput());
        }
      }
      conversation.messages.push({ role: 'assistant', content: answer });
      await state.save('conversation', () => context.sessions.save(session.store, conversation, turnIndex));
    });
  };

  return {
    runTurn: (session, turnIndex) =>
      isSmallTalk(session.turns[turnIndex].intent) ? smallTalk(session, turnIndex) : answerTicket(session, turnIndex),
  };
}
