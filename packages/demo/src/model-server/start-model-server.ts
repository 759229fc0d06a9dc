/**
 * OpenAI- and Anthropic-compatible model servers on loopback whose time to first token and
 * per-token pace are set per model, so agents, instrumentations and tests can run against the
 * real `openai` and `@anthropic-ai/sdk` clients with known latencies.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { anthropicMessagesDialect } from './anthropic-messages-dialect.js';
import { type RandomSource, seededRandom } from './delay-distribution.js';
import type { Dialect } from './dialect.js';
import { openAiChatDialect } from './openai-chat-dialect.js';
import { openAiResponsesDialect } from './openai-responses-dialect.js';
import { DEFAULT_MODEL_PROFILES, FALLBACK_MODEL_PROFILE, type ModelProfile, type ModelProfiles, resolveProfile } from './profiles.js';
import { directiveFromHeaders, planResponse, type ReplyDirective, type ResponsePlan } from './response-plan.js';
import type { ModelRequestView } from './request-view.js';
import { serveAnswer } from './serve-answer.js';

/** Options of {@link startModelServer}. */
export interface ModelServerOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Host to bind; loopback by default. */
  host?: string;
  /** Profile per model name (default {@link DEFAULT_MODEL_PROFILES}). */
  profiles?: ModelProfiles;
  /** Profile of models missing from the table (default ttft 200 ms, 20 ms per token). */
  fallbackProfile?: ModelProfile;
  /** Seed of the jitter distributions (default 1), so runs replay identically. */
  seed?: number;
  /** Scripts answers: return overrides for a request (headers still win). */
  reply?: (request: ModelRequestView) => ReplyDirective | undefined;
}

/** One request the server received. */
export interface RecordedModelRequest {
  /** The API path, e.g. `/v1/chat/completions`. */
  path: string;
  /** The request as the server understood it. */
  view: ModelRequestView;
  /** The parsed JSON body. */
  body: Record<string, unknown>;
  /** Request headers (lower-case names). */
  headers: Record<string, string | string[] | undefined>;
  /** What the server answered, with token timings. */
  plan: ResponsePlan;
  /** Arrival time, epoch ms. */
  receivedAtMs: number;
}

/** A running model server. */
export interface ModelServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:40123`. OpenAI's baseURL is `${url}/v1`. */
  url: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
  /** Every request received so far, in arrival order. */
  requests: RecordedModelRequest[];
}

const ROUTES: Record<string, Dialect> = {
  '/v1/chat/completions': openAiChatDialect,
  '/v1/responses': openAiResponsesDialect,
  '/v1/messages': anthropicMessagesDialect,
};

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function sendError(response: ServerResponse, status: number, message: string): void {
  const text = JSON.stringify({ error: { message, type: 'invalid_request_error' } });
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** Starts a model server; resolves once it listens. */
export async function startModelServer(options: ModelServerOptions = {}): Promise<ModelServer> {
  const profiles = options.profiles ?? DEFAULT_MODEL_PROFILES;
  const fallback = options.fallbackProfile ?? FALLBACK_MODEL_PROFILE;
  const random: RandomSource = seededRandom(options.seed ?? 1);
  const requests: RecordedModelRequest[] = [];

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const arrivedAtMs = performance.now();
    const receivedAtMs = Date.now();
    const path = (request.url ?? '').split('?')[0]!;
    const dialect = ROUTES[path];
    if (request.method !== 'POST' || dialect === undefined) {
      sendError(response, 404, `No route for ${request.method} ${path}`);
      return;
    }
    let body: Record<string, unknown>;
    try {
      const parsed: unknown = JSON.parse(await readBody(request));
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
      body = parsed as Record<string, unknown>;
    } catch {
      sendError(response, 400, 'Request body must be a JSON object');
      return;
    }
    const view = dialect.view(body);
    const directive: ReplyDirective = { ...options.reply?.(view), ...directiveFromHeaders(request.headers) };
    const plan = planResponse(view, resolveProfile(profiles, view.model, fallback), directive, random, requests.length + 1);
    requests.push({ path, view, body, headers: request.headers, plan, receivedAtMs });
    await serveAnswer(response, dialect, view, plan, arrivedAtMs);
  };

  const server = createServer({ noDelay: true, keepAliveTimeout: 5_000 }, (request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendError(response, 500, String(error));
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
