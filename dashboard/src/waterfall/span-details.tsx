import { CATEGORY_STYLES, type SpanView } from '@threshold/core';
import { attributeText } from './attribute-text';
import { formatCount, formatDurationMs } from '../format/format-duration';

/**
 * Everything known about the selected span. Attribute keys and values come from the traced
 * application and are untrusted: they are rendered as React text only.
 */
export function SpanDetails({ span, onClose, onZoom }: { span: SpanView; onClose: () => void; onZoom: () => void }) {
  const style = CATEGORY_STYLES[span.category] ?? CATEGORY_STYLES.other;
  const attributes = Object.entries(span.attributes ?? {}).sort(([a], [b]) => a.localeCompare(b));
  return (
    <aside className="span-details" aria-label="Span details" data-span-details={span.spanId}>
      <header className="span-details-head">
        <div>
          <span className="category-pill" style={{ background: style.color }}>
            {style.label}
          </span>
          {span.critical ? <span className="status critical-pill">critical path</span> : null}
          {span.status === 'error' ? <span className="status bad">error</span> : null}
          <h3 className="span-details-name">{span.name}</h3>
        </div>
        <button type="button" className="icon-button" aria-label="Close span details" onClick={onClose}>
          ×
        </button>
      </header>
      <dl className="kv">
        <Entry label="Duration" value={formatDurationMs(span.durationMs)} />
        <Entry label="Starts at" value={`+${formatDurationMs(span.startOffsetMs)}`} />
        <Entry label="Self time" value={formatDurationMs(span.selfMs)} />
        <Entry label="Status" value={span.status} />
        <Entry label="Classified by" value={span.classifiedBy ?? 'unknown'} mono />
        {span.orchestration ? (
          <Entry label="Waiting on" value={ORCHESTRATION_LABELS[span.orchestration.kind] ?? span.orchestration.kind} />
        ) : null}
        <Entry label="Span id" value={span.spanId} mono />
      </dl>
      <button type="button" className="button small" onClick={onZoom}>
        Zoom to this span
      </button>
      {span.llm ? (
        <section>
          <h4>LLM call</h4>
          <dl className="kv">
            <Entry label="Model" value={span.llm.model ?? '—'} />
            <Entry label="Provider" value={span.llm.provider ?? '—'} />
            <Entry label="Streaming" value={span.llm.streaming === undefined ? 'unknown' : span.llm.streaming ? 'yes' : 'no'} />
            <Entry label="TTFT" value={span.llm.ttftMs === undefined ? 'unknown' : formatDurationMs(span.llm.ttftMs)} />
            <Entry label="TPOT" value={span.llm.tpotMs === undefined ? 'unknown' : formatDurationMs(span.llm.tpotMs)} />
            <Entry label="Input tokens" value={span.llm.inputTokens === undefined ? '—' : formatCount(span.llm.inputTokens)} />
            <Entry label="Output tokens" value={span.llm.outputTokens === undefined ? '—' : formatCount(span.llm.outputTokens)} />
            {span.llm.cacheReadInputTokens === undefined ? null : (
              <Entry label="Cached input tokens" value={formatCount(span.llm.cacheReadInputTokens)} />
            )}
          </dl>
        </section>
      ) : null}
      {span.tool ? (
        <section>
          <h4>Tool call</h4>
          <dl className="kv">
            <Entry label="Tool" value={span.tool.name} />
            <Entry label="Call id" value={span.tool.callId ?? '—'} mono />
            <Entry label="Cache hit" value={span.tool.cacheHit === undefined ? '—' : span.tool.cacheHit ? 'yes' : 'no'} />
            <Entry label="Cold start" value={span.tool.coldStart === undefined ? '—' : span.tool.coldStart ? 'yes' : 'no'} />
          </dl>
        </section>
      ) : null}
      <section>
        <h4>Attributes ({attributes.length})</h4>
        {attributes.length === 0 ? (
          <p className="muted">None recorded.</p>
        ) : (
          <dl className="kv attributes">
            {attributes.map(([key, value]) => (
              <Entry key={key} label={key} value={attributeText(value)} mono />
            ))}
          </dl>
        )}
      </section>
    </aside>
  );
}

/** What an orchestration span's kind means to a reader; `classifiedBy` says which convention or mapping rule decided. */
const ORCHESTRATION_LABELS: Record<string, string> = {
  approval: 'a human approving a tool call',
  plan: 'the agent planning',
  step: 'the agent loop (a step or wrapper)',
  queue: 'a queue',
  rate_limit: 'a rate limit',
  route: 'routing',
  load_balance: 'load balancing',
  dispatch: 'dispatch',
};

function Entry({ label, value, mono }: { label: string; value: string; mono?: boolean }) {
  return (
    <div className="kv-row">
      <dt title={label}>{label}</dt>
      <dd className={mono ? 'mono' : undefined}>{value}</dd>
    </div>
  );
}
