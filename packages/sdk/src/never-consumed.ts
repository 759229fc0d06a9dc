/**
 * A stream nobody reads would hold its span open forever. When such a stream is garbage collected
 * without ever having been consumed, its span ends (status unset) at the time the response
 * arrived — the last moment anything was known about it. `shutdown` ends any that remain.
 */
import type { StreamRecording } from './stream-recording.js';

interface Pending {
  recording: StreamRecording;
  readyAtMs: number;
}

const registry = new FinalizationRegistry<Pending>((pending) => {
  if (!pending.recording.consumed) pending.recording.handle.end(pending.readyAtMs);
});

/** Ends `recording`'s span if `stream` is collected before anyone consumed it. */
export function endWhenCollectedUnconsumed(stream: object, recording: StreamRecording): void {
  try {
    registry.register(stream, { recording, readyAtMs: Date.now() });
  } catch {
    // Not registrable (frozen proxies in exotic runtimes): shutdown still ends the span.
  }
}
