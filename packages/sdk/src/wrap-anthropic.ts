/**
 * `wrapAnthropic(new Anthropic())`: the same client, with llm spans on `messages.create`
 * (streamed or not) and on `beta.messages.create`. `messages.stream()` returns the SDK's own
 * `MessageStream` with all its helpers (`on('text')`, `finalMessage()`, …): it reads its events
 * through the instrumented `create`, so TTFT and usage are recorded whichever helper is used.
 *
 * Recent `@anthropic-ai/sdk` clients trace themselves when a TracerProvider is registered
 * (`anthropic.messages.create` spans). Two llm spans per call would double the call count and
 * split its time, so when the client's own tracing is on, the wrapper sends calls through
 * `client.withOptions({ openTelemetry: false })` — the same settings and credentials without the
 * client's own spans. Pass `keepClientTracing: true` to keep both.
 */
import { proxyClient } from './client-proxy.js';
import { guard } from './guard.js';
import { type ClientWrapperOptions, instrumentCreate } from './wrap-openai.js';

/** Options of {@link wrapAnthropic}. */
export interface AnthropicWrapperOptions extends ClientWrapperOptions {
  /** Keep the client's own `anthropic.*` spans next to the SDK's (default false). */
  keepClientTracing?: boolean;
}

const anthropicInput = (body: Record<string, unknown> | undefined) =>
  body?.system === undefined ? body?.messages : { system: body.system, messages: body?.messages };

interface SelfTracingClient {
  openTelemetry?: { traces?: { enabled?: boolean } };
  withOptions?: (options: { openTelemetry: false }) => object;
}

/** The client calls go through: the client itself, or a copy without its own tracing. */
function untracedClient<Client extends object>(client: Client, options: AnthropicWrapperOptions): Client {
  if (options.keepClientTracing === true) return client;
  let target: Client = client;
  guard('turning off the client’s own tracing', () => {
    const candidate = client as SelfTracingClient;
    if (candidate.openTelemetry?.traces?.enabled === true && typeof candidate.withOptions === 'function') {
      target = candidate.withOptions({ openTelemetry: false }) as Client;
    }
  });
  return target;
}

/** The same Anthropic client, instrumented. */
export function wrapAnthropic<Client extends object>(client: Client, options: AnthropicWrapperOptions = {}): Client {
  const create = instrumentCreate('anthropic', anthropicInput, options);
  return proxyClient(untracedClient(client, options), {
    messages: { create },
    beta: { messages: { create } },
  });
}
