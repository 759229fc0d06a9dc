/**
 * `wrapOpenAI(new OpenAI())`: the same client, with llm spans on chat completions and responses,
 * streamed or not. Calls return the SDK's own objects — the same `APIPromise` (so
 * `.withResponse()` and `.asResponse()` work), the same `Stream` (so `.tee()`,
 * `.toReadableStream()` and `.controller` work), the same errors — and the SDK's helpers
 * (`chat.completions.stream()`, `responses.stream()`, `.parse()`, `runTools()`) are instrumented
 * through the `create` they call.
 */
import { proxyClient, type MethodInstrumenter } from './client-proxy.js';
import { guard } from './guard.js';
import { recordCallValue, startLlmSpan } from './llm.js';
import { runInSpan } from './run-in-span.js';
import type { SpanHandle } from './span-handle.js';
import { isCapturingContent } from './content-capture.js';

type Body = Record<string, unknown> | undefined;

/** Options of the client wrappers. */
export interface ClientWrapperOptions {
  /** `threshold.llm.purpose` for every call made through this client. */
  purpose?: string;
}

/** Instruments a `create(body, options?)` method of a Stainless client. */
export function instrumentCreate(
  provider: string,
  input: (body: Body) => unknown,
  wrapperOptions: ClientWrapperOptions,
): MethodInstrumenter {
  return (original) =>
    function createInstrumented(this: unknown, ...args: unknown[]) {
      let handle: SpanHandle | undefined;
      guard('starting a client call span', () => {
        const body = (typeof args[0] === 'object' && args[0] !== null ? args[0] : undefined) as Body;
        handle = startLlmSpan(
          {
            model: typeof body?.model === 'string' ? body.model : undefined,
            provider,
            purpose: wrapperOptions.purpose,
            input: isCapturingContent() ? input(body) : undefined,
          },
          body?.stream === true,
        );
      });
      return runInSpan(handle, original, this, args, recordCallValue);
    };
}

/** The same OpenAI client, instrumented. */
export function wrapOpenAI<Client extends object>(client: Client, options: ClientWrapperOptions = {}): Client {
  return proxyClient(client, {
    chat: { completions: { create: instrumentCreate('openai', (body) => body?.messages, options) } },
    responses: {
      create: instrumentCreate(
        'openai',
        (body) => (body?.instructions === undefined ? body?.input : { instructions: body.instructions, input: body?.input }),
        options,
      ),
    },
  });
}
