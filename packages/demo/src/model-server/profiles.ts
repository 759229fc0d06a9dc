/**
 * How fast each simulated model answers. The defaults follow the background figures in
 * docs/DESIGN.md: a frontier model starts after ~200 ms and writes ~20 ms per token; a 7B-class model
 * answers an intent classification in ~50 ms; a large reasoning model can think for seconds.
 */
import type { DelayDistribution } from './delay-distribution.js';

/** Timing and size of one model's answers. */
export interface ModelProfile {
  /** Time from the request arriving to the first content token, in milliseconds. */
  ttftMs: number;
  /** Time between consecutive output tokens, in milliseconds. */
  perTokenMs: number;
  /** Output tokens in a default text answer (capped by the request's max tokens). */
  outputTokens?: number;
  /** Seeded random variation of the time to first token (a multiplier around 1). */
  ttftJitter?: DelayDistribution;
  /** Seeded random variation of each inter-token gap (a multiplier around 1). */
  perTokenJitter?: DelayDistribution;
}

/** A profile table keyed by model name. */
export type ModelProfiles = Record<string, ModelProfile>;

/** Output tokens of a text answer when neither the profile, the request nor a header says. */
export const DEFAULT_OUTPUT_TOKENS = 24;

/** Profiles used when the server is started without its own table. */
export const DEFAULT_MODEL_PROFILES: ModelProfiles = {
  'gpt-4o': { ttftMs: 200, perTokenMs: 20 },
  'gpt-4o-mini': { ttftMs: 120, perTokenMs: 8 },
  'claude-sonnet-4-5': { ttftMs: 250, perTokenMs: 18 },
  'claude-haiku-4-5': { ttftMs: 90, perTokenMs: 7 },
  'small-7b': { ttftMs: 50, perTokenMs: 5 },
  'reasoning-large': { ttftMs: 4_000, perTokenMs: 25 },
};

/** Profile for models missing from the table: a typical hosted model (docs/DESIGN.md figures). */
export const FALLBACK_MODEL_PROFILE: ModelProfile = { ttftMs: 200, perTokenMs: 20 };

/** The profile of `model`, or the fallback when the table has none. */
export function resolveProfile(profiles: ModelProfiles, model: string | undefined, fallback: ModelProfile): ModelProfile {
  if (model !== undefined && Object.prototype.hasOwnProperty.call(profiles, model)) return profiles[model]!;
  return fallback;
}
