import { useMemo, useState } from 'react';
import type { AlertEventsResponse, AlertRule, AlertSeriesResponse, AlertsResponse } from '@threshold/core';
import { apiPath } from '../../api/api-client';
import { useApi } from '../../api/use-api';
import { ErrorMessage } from '../../components/error-message';
import { PageHeader } from '../../components/page-header';
import { formatTimestamp } from '../../format/format-time';
import { useLiveRefresh } from '../../live/live-context';
import { useQueryState } from '../../router/query-state';
import { AlertChart } from './alert-chart';
import { AlertHistory } from './alert-history';
import { formatAlertValue, formatWindow, STATE_LABELS, stateTone, statisticLabel, targetLabel } from './alert-labels';
import { AlertRuleForm } from './alert-rule-form';
import { deleteRule } from './alert-rules-client';
import { usePollingKey } from './use-polling-key';
import './alerts.css';

const RANGES = [
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '6h', label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { id: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
] as const;

/**
 * Alerts: every rule with its state and current value, the selected rule's statistic against its
 * threshold with firing periods shaded, the history with notification status, and rule editing.
 * The selected rule and range live in the URL (`?rule=…&range=…`), which notifications link to.
 */
export default function AlertsView() {
  const [query, setQuery] = useQueryState();
  const refreshKey = `${useLiveRefresh(5_000)}-${usePollingKey(15_000)}`;
  const [editing, setEditing] = useState<AlertRule | 'new' | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const alerts = useApi<AlertsResponse>('/api/alerts', { refreshKey, keepPrevious: true });
  const selectedId = query.get('rule') ?? alerts.data?.alerts[0]?.rule.id ?? null;
  const range = RANGES.find((r) => r.id === query.get('range')) ?? RANGES[0];
  const events = useApi<AlertEventsResponse>(apiPath('/api/alerts/events', { limit: 200, ruleId: query.get('rule') ?? undefined }), {
    refreshKey,
    keepPrevious: true,
  });
  // The window's end moves on each refresh and range change, and only then (not on every render).
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const toMs = useMemo(() => Math.floor(Date.now() / 1_000) * 1_000, [refreshKey, range.id]);
  const fromMs = toMs - range.ms;
  const selected = alerts.data?.alerts.find((alert) => alert.rule.id === selectedId);
  const series = useApi<AlertSeriesResponse>(
    selected ? apiPath(`/api/alerts/rules/${encodeURIComponent(selected.rule.id)}/series`, { from: fromMs, to: toMs }) : null,
    {
      refreshKey,
      keepPrevious: true,
    },
  );
  const rulesById = useMemo(() => new Map((alerts.data?.alerts ?? []).map((alert) => [alert.rule.id, alert.rule])), [alerts.data]);

  const remove = async (rule: AlertRule) => {
    if (!window.confirm(`Delete the rule “${rule.name}”? Its history stays.`)) return;
    const result = await deleteRule(rule.id);
    setActionError(result.ok ? null : result.error);
    if (result.ok && selectedId === rule.id) setQuery({ rule: null });
    alerts.reload();
  };

  return (
    <div className="view" data-view="alerts">
      <PageHeader
        title="Alerts"
        subtitle="P99 budgets and latency SLOs, evaluated continuously; firing and resolved alerts are sent to your webhooks."
      >
        <button type="button" className="button primary" onClick={() => setEditing('new')}>
          New rule
        </button>
      </PageHeader>
      {alerts.error ? <ErrorMessage error={alerts.error} onRetry={alerts.reload} what="alert rules" /> : null}
      {actionError ? (
        <div className="error-box" role="alert">
          <strong>Could not change the rule.</strong> <span>{actionError}</span>
        </div>
      ) : null}
      {editing ? (
        <AlertRuleForm
          key={editing === 'new' ? 'new' : editing.id}
          rule={editing === 'new' ? undefined : editing}
          onCancel={() => setEditing(null)}
          onSaved={(rule) => {
            setEditing(null);
            alerts.reload();
            if (rule) setQuery({ rule: rule.id });
          }}
        />
      ) : null}
      {alerts.data ? (
        <section className="panel flush">
          <div className="table-scroll">
            <table className="table alert-rules">
              <thead>
                <tr>
                  <th>State</th>
                  <th>Rule</th>
                  <th>Watches</th>
                  <th className="num">Current</th>
                  <th className="num">Threshold</th>
                  <th>Window</th>
                  <th>Since</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {alerts.data.alerts.map(({ rule, state, source }) => (
                  <tr
                    key={rule.id}
                    className={`row-link${rule.id === selectedId ? ' selected' : ''}`}
                    tabIndex={0}
                    data-rule={rule.id}
                    data-state={state.state}
                    onClick={() => setQuery({ rule: rule.id })}
                    onKeyDown={(event) => {
                      if (event.key === 'Enter') setQuery({ rule: rule.id });
                    }}
                  >
                    <td>
                      <span className={`status ${stateTone(state.state)}`}>{rule.enabled ? STATE_LABELS[state.state] : 'Disabled'}</span>
                    </td>
                    <td className="strong">
                      {rule.name}
                      {rule.severity === 'page' ? <span className="status bad small-pill">page</span> : null}
                    </td>
                    <td>
                      {targetLabel(rule)} · {statisticLabel(rule)}
                    </td>
                    <td className={`num${state.value !== null && state.value > rule.threshold ? ' over' : ''}`}>
                      {formatAlertValue(rule, state.value)}
                      <span className="muted small"> ({state.sampleCount})</span>
                    </td>
                    <td className="num">{formatAlertValue(rule, rule.threshold)}</td>
                    <td className="nowrap">{formatWindow(rule)}</td>
                    <td className="nowrap">{state.evaluatedAtMs === null ? '—' : formatTimestamp(state.sinceMs)}</td>
                    <td className="nowrap" onClick={(event) => event.stopPropagation()}>
                      {source === 'file' ? (
                        <span className="muted small" title="Defined in the alert rules file: edit the file and restart">
                          from file
                        </span>
                      ) : (
                        <>
                          <button type="button" className="button small" onClick={() => setEditing(rule)}>
                            Edit
                          </button>{' '}
                          <button type="button" className="button small" onClick={() => void remove(rule)}>
                            Delete
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {alerts.data.webhookCount === 0 ? (
            <p className="muted small alert-hint">
              No webhook is configured: alerts show here and in /metrics but are not sent. Start the collector with --alert-webhook
              &lt;url&gt;.
            </p>
          ) : null}
        </section>
      ) : null}
      {selected ? (
        <section className="panel">
          <div className="panel-head">
            <h2>{selected.rule.name}</h2>
            <select aria-label="Time range" value={range.id} onChange={(event) => setQuery({ range: event.target.value })}>
              {RANGES.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.label}
                </option>
              ))}
            </select>
          </div>
          {series.error ? <ErrorMessage error={series.error} onRetry={series.reload} what="the rule's statistic over time" /> : null}
          {series.data ? <AlertChart rule={selected.rule} series={series.data} fromMs={fromMs} toMs={toMs} /> : null}
        </section>
      ) : null}
      <section className="panel">
        <div className="panel-head">
          <h2>History</h2>
          <span className="muted">
            {query.get('rule') ? 'State changes of the selected rule' : 'State changes of every rule'}, newest first
          </span>
        </div>
        {events.error ? <ErrorMessage error={events.error} onRetry={events.reload} what="alert history" /> : null}
        {events.data ? <AlertHistory events={events.data.events} rulesById={rulesById} /> : null}
      </section>
      {alerts.loading && !alerts.data ? <div className="loading-page">Loading…</div> : null}
    </div>
  );
}
