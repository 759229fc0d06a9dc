import type { TraceList } from '@threshold/core';
import { useApi } from '../api/use-api';
import { ErrorMessage } from './error-message';

/*
 * What a new user sees before any data arrives: exactly how to send traces, for agent code (the
 * SDK) and for code already instrumented with OpenTelemetry (one environment variable).
 */

/** Where exporters send by default: the collector's standard OTLP/HTTP port. */
const DEFAULT_ORIGIN = 'http://localhost:4318';

export function collectorOrigin(): string {
  // The built dashboard is served by the collector itself; the dev server proxies to the default port.
  if (import.meta.env.DEV || typeof window === 'undefined') return DEFAULT_ORIGIN;
  return window.location.origin;
}

const SDK_SNIPPET = (origin: string) => `import { init, task, llm, tool } from '@threshold/sdk';

init(${origin === DEFAULT_ORIGIN || origin === 'http://127.0.0.1:4318' ? "{ serviceName: 'support-agent' });   // sends to http://localhost:4318" : `{ serviceName: 'support-agent', endpoint: '${origin}' });`}

await task('answer-ticket', { taskClass: 'simple' }, async (t) => {
  const plan = await llm.call({ model: 'gpt-4o-mini', provider: 'openai' }, () => callModel());
  const hits = await tool('search_kb', { args: { query } }, () => searchKb(query));
  t.firstOutput();                      // when the user first sees output
});`;

export function EmptyState({ title = 'No tasks yet', filtered = false }: { title?: string; filtered?: boolean }) {
  const origin = collectorOrigin();
  if (filtered) {
    return (
      <div className="empty-state compact" data-empty-state="filtered">
        <h2>{title}</h2>
        <p>Nothing matches this time range and these filters. Widen the range or clear a filter.</p>
      </div>
    );
  }
  return (
    <div className="empty-state" data-empty-state="onboarding">
      <h2>{title}</h2>
      <p className="lede">
        Threshold shows where every millisecond of your agent's tasks goes as soon as traces arrive. Send OTLP/HTTP spans to{' '}
        <code className="endpoint">{origin}/v1/traces</code>
      </p>
      <div className="empty-steps">
        <section>
          <h3>Instrument agent code with the SDK</h3>
          <pre className="code">
            <code>{`npm install @threshold/sdk`}</code>
          </pre>
          <pre className="code">
            <code>{SDK_SNIPPET(origin)}</code>
          </pre>
        </section>
        <section>
          <h3>Already using OpenTelemetry?</h3>
          <p>
            Vercel AI SDK telemetry, OpenLLMetry, OpenInference and GenAI-semconv spans work as they are. Point the exporter at Threshold:
          </p>
          <pre className="code">
            <code>{`OTEL_EXPORTER_OTLP_ENDPOINT=${origin}\nOTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf`}</code>
          </pre>
          <p className="muted">
            The exporter appends <code>/v1/traces</code>. Tasks appear here a couple of seconds after their last span, without reloading.
          </p>
        </section>
      </div>
    </div>
  );
}

/**
 * For a view whose window came back empty: the onboarding when the collector has never received a
 * task, else a hint to widen the window or clear filters.
 */
export function WindowEmptyState({ title = 'No tasks in this window' }: { title?: string }) {
  const any = useApi<TraceList>('/api/traces?limit=1');
  if (any.error) return <ErrorMessage error={any.error} onRetry={any.reload} />;
  if (!any.data) return null;
  return any.data.total === 0 ? <EmptyState title="No tasks yet" /> : <EmptyState title={title} filtered />;
}
