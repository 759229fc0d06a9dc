/**
 * The models the demo's agents call, and how fast they answer. Figures from docs/DESIGN.md's
 * background: a frontier model starts after ~200 ms and writes ~20 ms per token; a 7B-class
 * model classifies in ~50 ms; a reasoning model thinks for seconds. Time to first token also
 * grows with the prompt (prefill), which is what makes long sessions slow and what the
 * compress-context recommendation measures.
 */
import { estimateTokens, type ModelRequestView, type ReplyDirective } from '../model-server/index.js';
import { createSeededRandom, deriveSeed } from './seeded-random.js';

export interface DemoModelProfile {
  /** Median time to first token for a short prompt, ms. */
  ttftMs: number;
  /** Extra time to first token per 1,000 prompt tokens, ms. */
  prefillMsPer1kTokens: number;
  /** Median gap between output tokens, ms. */
  perTokenMs: number;
}

/** Model names the agents use; the OpenAI-compatible ones and the Anthropic-compatible ones. */
export const DEMO_MODELS = {
  /** Frontier chat model: answers, synthesis (and, wastefully, intent). */
  large: 'gpt-4o',
  /** Mid-size model: summaries, formatting. */
  mini: 'gpt-4o-mini',
  /** 7B-class model served in-house: intent, safety. */
  small: 'llama-3.1-8b-instruct',
  /** Reasoning model: research plans. */
  reasoning: 'o3',
  /** Anthropic models: support answers and code. */
  sonnet: 'claude-sonnet-4-6',
  haiku: 'claude-haiku-4-5',
} as const;

/**
 * Prefill runs at roughly 10–50k prompt tokens per second depending on model size, hence 20–120
 * ms per 1,000 prompt tokens; the reasoning model also thinks longer over longer prompts.
 */
export const DEMO_MODEL_PROFILES: Record<string, DemoModelProfile> = {
  [DEMO_MODELS.large]: { ttftMs: 220, prefillMsPer1kTokens: 45, perTokenMs: 20 },
  [DEMO_MODELS.mini]: { ttftMs: 140, prefillMsPer1kTokens: 20, perTokenMs: 9 },
  [DEMO_MODELS.small]: { ttftMs: 40, prefillMsPer1kTokens: 10, perTokenMs: 5 },
  [DEMO_MODELS.reasoning]: { ttftMs: 2_600, prefillMsPer1kTokens: 120, perTokenMs: 22 },
  [DEMO_MODELS.sonnet]: { ttftMs: 260, prefillMsPer1kTokens: 120, perTokenMs: 18 },
  [DEMO_MODELS.haiku]: { ttftMs: 110, prefillMsPer1kTokens: 15, perTokenMs: 7 },
};

const FALLBACK_PROFILE: DemoModelProfile = { ttftMs: 200, prefillMsPer1kTokens: 40, perTokenMs: 20 };

/** Hosted frontier models, whose streams a loaded provider sometimes holds mid-answer. */
const STALLING_MODELS: ReadonlySet<string> = new Set([DEMO_MODELS.large, DEMO_MODELS.sonnet]);

/** FNV-1a of a text, so a request's jitter depends on what it asks, not on when it arrives. */
function textHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * The model server's `reply` hook for the demo: time to first token from the profile plus
 * prefill for the prompt's size, log-normal jitter (about 1 in 70 answers a slow outlier, as
 * hosted models have), and an answer of 75–100 % of the request's `max_tokens`. About 1 in 25
 * longer answers of a frontier model freezes once mid-stream for 2.2–3.2 s (a loaded provider
 * holding the stream), which the stream-stall recommendation and the waterfall's pause mark show.
 * Every delay is multiplied by `timeScale`.
 */
export function demoReply(seed: number, timeScale: number): (request: ModelRequestView) => ReplyDirective {
  return (request) => {
    const profile = DEMO_MODEL_PROFILES[request.model] ?? FALLBACK_PROFILE;
    const random = createSeededRandom(deriveSeed(seed, 'model', request.model, textHash(request.promptText)));
    const inputTokens = estimateTokens(request.promptText);
    const outlier = random.chance(0.015) ? random.between(2, 4) : 1;
    const ttftMs = (profile.ttftMs * outlier + (profile.prefillMsPer1kTokens * inputTokens) / 1_000) * random.latencyMs(1, 0.12);
    const perTokenMs = random.latencyMs(profile.perTokenMs, 0.15);
    const directive: ReplyDirective = { ttftMs: ttftMs * timeScale, perTokenMs: perTokenMs * timeScale };
    if (request.maxOutputTokens !== undefined) {
      directive.outputTokens = Math.max(1, Math.round(request.maxOutputTokens * random.between(0.75, 1)));
    }
    // Drawn after every other decision, so adding stalls left the rest of each answer as it was.
    const tokens = directive.outputTokens ?? 0;
    if (STALLING_MODELS.has(request.model) && tokens >= 40 && random.chance(0.04)) {
      directive.stall = { ms: random.between(2_200, 3_200) * timeScale, atToken: Math.round(tokens * random.between(0.2, 0.8)) };
    }
    return directive;
  };
}
