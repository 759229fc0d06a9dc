import type { TraceDetail, WhatIfTraceResponse } from '@threshold/core';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, postJson } from '../../api/api-client';
import { useApi } from '../../api/use-api';
import type { ViewProps } from '../../app/views';
import { ErrorMessage } from '../../components/error-message';
import { PageHeader } from '../../components/page-header';
import { Link } from '../../router/link';
import { useQueryState } from '../../router/query-state';
import { SpanDetails } from '../../waterfall/span-details';
import { Waterfall } from '../../waterfall/waterfall';
import { FindingsPanel } from './findings-panel';
import { ProjectionSummary } from './projection-summary';
import { TraceHeader } from './trace-header';

type Projection =
  { state: 'off' } | { state: 'loading' } | { state: 'ready'; data: WhatIfTraceResponse } | { state: 'error'; error: ApiError };

export default function TraceView({ params }: ViewProps) {
  const traceId = params.traceId ?? '';
  const trace = useApi<TraceDetail>(`/api/traces/${encodeURIComponent(traceId)}`);
  const [selectedSpanId, setSelectedSpanId] = useState<string | null>(null);
  const [selectedFinding, setSelectedFinding] = useState<number | null>(null);
  const [projection, setProjection] = useState<Projection>({ state: 'off' });
  const [zoomTo, setZoomTo] = useState<{ startMs: number; endMs: number } | null>(null);

  useEffect(() => {
    setSelectedSpanId(null);
    setSelectedFinding(null);
    setProjection({ state: 'off' });
  }, [traceId]);

  // A link from a recommendation (`?finding=<ruleId>`) opens with that finding's evidence highlighted.
  const [query] = useQueryState();
  const linkedRule = query.get('finding');
  useEffect(() => {
    if (!trace.data || !linkedRule) return;
    const index = trace.data.findings.findIndex((f) => f.ruleId === linkedRule);
    if (index >= 0) setSelectedFinding(index);
  }, [trace.data, linkedRule]);

  const showProjected = projection.state === 'ready';
  const spans = showProjected ? projection.data.after.spans : (trace.data?.spans ?? []);
  // The projected waterfall keeps the original time scale, so the saving shows as empty space.
  const totalMs = showProjected
    ? Math.max(projection.data.after.summary.durationMs, projection.data.before.summary.durationMs)
    : (trace.data?.summary.durationMs ?? 0);
  const findings = useMemo(() => trace.data?.findings ?? [], [trace.data]);
  const evidence = useMemo(
    () => new Set(selectedFinding !== null ? (findings[selectedFinding]?.evidenceSpanIds ?? []) : []),
    [findings, selectedFinding],
  );
  const selectedSpan = spans.find((s) => s.spanId === selectedSpanId) ?? null;
  const revealSpanId = selectedFinding !== null ? (findings[selectedFinding]?.evidenceSpanIds[0] ?? null) : null;
  const onSelect = useCallback((spanId: string | null) => setSelectedSpanId(spanId), []);

  const toggleProjection = () => {
    if (projection.state === 'ready' || projection.state === 'loading') {
      setProjection({ state: 'off' });
      return;
    }
    setProjection({ state: 'loading' });
    postJson<WhatIfTraceResponse>('/api/whatif', { traceId }).then(
      (data) => setProjection((current) => (current.state === 'loading' ? { state: 'ready', data } : current)),
      (error: unknown) =>
        setProjection((current) =>
          current.state === 'loading'
            ? { state: 'error', error: error instanceof ApiError ? error : new ApiError(0, String(error), '/api/whatif') }
            : current,
        ),
    );
  };

  if (trace.error?.notFound) {
    return (
      <div className="view" data-view="trace">
        <div className="panel notice" data-not-found="trace">
          <h1>Trace not found</h1>
          <p>
            No trace with id <code>{traceId}</code> has been analysed by this collector. It may still be arriving (a trace is analysed a
            couple of seconds after its last span), or it is older than the data kept. <Link href="/traces">Back to traces</Link>
          </p>
        </div>
      </div>
    );
  }

  return (
    <div className="view" data-view="trace">
      <PageHeader
        title={trace.data ? trace.data.summary.name : 'Trace'}
        subtitle={
          <>
            <Link href="/traces">Traces</Link> / <span className="mono">{traceId}</span>
          </>
        }
      >
        {trace.data && findings.length > 0 ? (
          <button
            type="button"
            className={showProjected ? 'button primary' : 'button'}
            aria-pressed={showProjected}
            onClick={toggleProjection}
            data-toggle="projected"
          >
            {projection.state === 'loading' ? 'Projecting…' : showProjected ? 'Showing projected waterfall' : 'Show projected waterfall'}
          </button>
        ) : null}
      </PageHeader>
      {trace.error ? <ErrorMessage error={trace.error} onRetry={trace.reload} what="this trace" /> : null}
      {trace.loading && !trace.data ? <div className="loading-page">Loading trace…</div> : null}
      {trace.data ? (
        <>
          <TraceHeader summary={trace.data.summary} />
          <FindingsPanel findings={findings} selected={selectedFinding} onSelect={setSelectedFinding} />
          {projection.state === 'error' ? <ErrorMessage error={projection.error} onRetry={toggleProjection} what="the projection" /> : null}
          {showProjected ? <ProjectionSummary projection={projection.data} /> : null}
          <div className={selectedSpan ? 'trace-body with-details' : 'trace-body'}>
            <section className="panel flush" data-waterfall={showProjected ? 'projected' : 'actual'}>
              <Waterfall
                key={showProjected ? 'projected' : 'actual'}
                spans={spans}
                totalMs={totalMs}
                selectedSpanId={selectedSpanId}
                onSelect={onSelect}
                highlighted={evidence}
                revealSpanId={revealSpanId}
                zoomTo={zoomTo}
              />
            </section>
            {selectedSpan ? (
              <SpanDetails
                span={selectedSpan}
                onClose={() => setSelectedSpanId(null)}
                onZoom={() =>
                  setZoomTo({
                    startMs: selectedSpan.startOffsetMs,
                    endMs: selectedSpan.startOffsetMs + Math.max(selectedSpan.durationMs, 0.001),
                  })
                }
              />
            ) : null}
          </div>
        </>
      ) : null}
    </div>
  );
}
