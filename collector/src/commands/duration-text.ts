/**
 * Durations on the command line: `500ms`, `30s`, `5m`, `1h`, `2d`, or a combination (`1h30m`).
 * A unit is required, so `--since 30` cannot silently mean 30 ms when the user meant minutes.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;

/** Milliseconds of a duration text, or undefined when it is not one (or is zero). */
export function parseDurationMs(text: string): number | undefined {
  const trimmed = text.trim();
  if (!WHOLE.test(trimmed)) return undefined;
  let totalMs = 0;
  for (const match of trimmed.matchAll(PART)) totalMs += Number(match[1]) * UNIT_MS[match[2]];
  return totalMs > 0 ? totalMs : undefined;
}
