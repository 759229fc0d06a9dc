/**
 * Sends one planned answer on time. Every token is scheduled against the request's arrival
 * (not the previous token), so timer lateness never accumulates: token i leaves at
 * arrival + tokenOffsetsMs[i]. Stops quietly when the client goes away.
 */
import type { ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Dialect, SseEvent } from './dialect.js';
import type { ResponsePlan } from './response-plan.js';
import type { ModelRequestView } from './request-view.js';

/** Resolves at `performance.now() >= targetMs` (or at once when already past). */
function waitUntil(targetMs: number): Promise<void> {
  const remainingMs = targetMs - performance.now();
  if (remainingMs <= 0) return Promise.resolve();
  return new Promise((resolve) => setTimeout(resolve, remainingMs));
}

function encodeEvents(events: SseEvent[]): string {
  let text = '';
  for (const { event, data } of events) {
    if (event !== undefined) text += `event: ${event}\n`;
    text += `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;
  }
  return text;
}

/** Delay between the last token written and cutting the connection of a simulated mid-stream failure. */
const ABORT_GRACE_MS = 200;

/** Headers that keep the official clients from retrying simulated errors on their own. */
const NO_RETRY = { 'x-should-retry': 'false' };

function sendJson(response: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...extraHeaders });
  response.end(text);
}

/** Answers `plan` through `dialect`, streamed or whole, starting from `arrivedAtMs` (performance clock). */
export async function serveAnswer(
  response: ServerResponse,
  dialect: Dialect,
  view: ModelRequestView,
  plan: ResponsePlan,
  arrivedAtMs: number,
): Promise<void> {
  if (plan.status !== undefined) {
    await waitUntil(arrivedAtMs + (plan.tokenOffsetsMs[0] ?? 0));
    if (!response.destroyed) sendJson(response, plan.status, dialect.error(plan.status), NO_RETRY);
    return;
  }
  const tokenCount = plan.abortAfterTokens === undefined ? plan.tokens.length : Math.min(plan.abortAfterTokens, plan.tokens.length);
  if (!view.stream) {
    await waitUntil(arrivedAtMs + (plan.tokenOffsetsMs[tokenCount - 1] ?? 0));
    if (response.destroyed) return;
    if (plan.abortAfterTokens !== undefined) response.destroy();
    else sendJson(response, 200, dialect.answer(plan, view));
    return;
  }
  const script = dialect.stream(plan, view);
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  response.flushHeaders();
  response.write(encodeEvents(script.start()));
  for (let index = 0; index < tokenCount; index++) {
    await waitUntil(arrivedAtMs + plan.tokenOffsetsMs[index]!);
    if (response.destroyed) return;
    response.write(encodeEvents(script.token(index)));
  }
  if (plan.abortAfterTokens !== undefined) {
    // Let what was written reach the client and be read before the connection drops mid-body,
    // so the client sees every token sent and then the failure, deterministically.
    await new Promise<void>((resolve) => response.write('', () => resolve()));
    setTimeout(() => response.destroy(), ABORT_GRACE_MS);
    return;
  }
  response.end(encodeEvents(script.end()));
}
