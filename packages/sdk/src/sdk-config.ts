/**
 * Process-wide settings of the instrumentation: where spans go and whether content is captured.
 * `init` fills them; tests may point the SDK at their own provider.
 */
import { type Tracer, type TracerProvider, trace } from '@opentelemetry/api';

/** What a `redact` hook is given along with the text. */
export interface RedactContext {
  /** Which content: prompt messages, answer messages, tool arguments or tool result. */
  kind: 'input' | 'output' | 'tool.arguments' | 'tool.result';
  /** The span's name. */
  spanName: string;
}

/** Rewrites captured content before it is recorded; return undefined to drop it. */
export type RedactHook = (text: string, context: RedactContext) => string | undefined;

/** Content capture settings. */
export interface ContentCaptureOptions {
  /** Record prompts, answers, tool arguments and results (off by default). */
  captureContent?: boolean;
  /** Applied to every captured text before recording. */
  redact?: RedactHook;
}

const SDK_NAME = '@threshold/sdk';
const SDK_VERSION = '0.1.0';

interface SdkConfig {
  captureContent: boolean;
  redact?: RedactHook;
  tracerProvider?: TracerProvider;
  tracer: Tracer;
}

const config: SdkConfig = { captureContent: false, tracer: trace.getTracer(SDK_NAME, SDK_VERSION) };

/** The tracer spans are made with (the global provider's unless one was configured). */
export function sdkTracer(): Tracer {
  return config.tracer;
}

/** Current content capture settings. */
export function contentCapture(): { enabled: boolean; redact?: RedactHook } {
  return { enabled: config.captureContent, redact: config.redact };
}

/** Sets content capture and, optionally, a provider to use instead of the global one. */
export function configureSdk(options: ContentCaptureOptions & { tracerProvider?: TracerProvider }): void {
  if (options.captureContent !== undefined) config.captureContent = options.captureContent;
  if (options.redact !== undefined) config.redact = options.redact;
  if (options.tracerProvider !== undefined) {
    config.tracerProvider = options.tracerProvider;
    config.tracer = options.tracerProvider.getTracer(SDK_NAME, SDK_VERSION);
  }
}

/** Back to defaults: no capture, global provider. */
export function resetSdkConfig(): void {
  config.captureContent = false;
  config.redact = undefined;
  config.tracerProvider = undefined;
  config.tracer = trace.getTracer(SDK_NAME, SDK_VERSION);
}
