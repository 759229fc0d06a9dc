/**
 * A coding agent, one task per request:
 *
 *   load workspace → dispatch to a runner → wait for a sandbox → start it (cold the first time
 *   in a session) → write a patch (streamed) → run the tests → [patch again → run again]
 *   → checkpoint the workspace
 *
 * The sandbox pool is shared by every user, so under load the wait for a machine is real queue
 * time, and the cluster scheduler takes ~180 ms to place each job. A session's first turn pays
 * a 1.5–3 s cold start (pre-warm's evidence); the test run always follows the patch (speculate's
 * evidence); half the teams keep workspaces in the slow legacy store (state overhead).
 */
import { orchestration, state, task, tool, wrapAnthropic } from '@threshold/sdk';
import type { CodingSession, SessionPlan } from '../scenario/session-plan.js';
import { DEMO_MODELS } from '../simulation/demo-models.js';
import type { Agent, AgentContext } from './agent-context.js';

type Session = CodingSession & SessionPlan;

export function createCodingAgent(context: AgentContext): Agent<Session> {
  const coder = wrapAnthropic(context.anthropic, { purpose: 'code' });

  return {
    runTurn: (session, turnIndex) => {
      const turn = session.turns[turnIndex];
      const { sessionId, repository } = session;
      return task('fix-failing-test', { taskClass: 'complex', sessionId, turn: turnIndex + 1 }, async (current) => {
        const workspace = await state.load('workspace', () => context.sessions.load(session.store, sessionId, turnIndex));
        await orchestration.dispatch('runner-scheduler', () => context.latency.wait(180, 0.4, 'runner-scheduler', sessionId, turnIndex));
        const release = await orchestration.queue('sandbox-pool', () => context.sandboxes.acquireSlot());
        try {
          const coldStart = context.sandboxes.isCold(sessionId);
          await tool('start_sandbox', { args: { repository }, coldStart }, () => context.sandboxes.start(sessionId, turnIndex));

          let failing = turn.failingAfterFirstPatch;
          for (let attempt = 1; attempt <= 2; attempt++) {
            const instruction = attempt === 1 ? turn.request : `${failing} tests still fail. Fix them.`;
            const stream = coder.messages.stream({
              model: DEMO_MODELS.sonnet,
              max_tokens: turn.patchTokens,
              system: `You are a coding agent working in ${repository}. Reply with a unified diff.`,
              messages: [...workspace.messages, { role: 'user', content: instruction }],
            });
            stream.once('text', () => current.firstOutput());
            const patch = await stream.finalText();
            workspace.messages.push({ role: 'user', content: instruction }, { role: 'assistant', content: patch });
            const run = await tool('run_tests', { args: { repository } }, () =>
              context.sandboxes.runTests(sessionId, turnIndex, attempt, attempt === 1 ? failing : 0),
            );
            failing = run.failed;
            if (failing === 0) break;
            // Back to a clean snapshot before the next attempt: the container is warm by now.
            await tool('start_sandbox', { args: { repository, snapshot: 'clean' }, coldStart: false }, () =>
              context.sandboxes.start(sessionId, turnIndex),
            );
          }
          await state.checkpoint('workspace', () => context.sessions.save(session.store, workspace, turnIndex));
        } finally {
          release();
        }
      });
    },
  };
}
