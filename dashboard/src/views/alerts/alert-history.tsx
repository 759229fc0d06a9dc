import type { AlertDelivery, AlertEventsResponse, AlertRule } from '@threshold/core';
import { formatTimestamp } from '../../format/format-time';
import { Link } from '../../router/link';
import { formatAlertValue, STATE_LABELS, stateTone } from './alert-labels';

type EventWithDeliveries = AlertEventsResponse['events'][number];

/** State changes, newest first, with example traces and how each notification fared. */
export function AlertHistory({ events, rulesById }: { events: EventWithDeliveries[]; rulesById: Map<string, AlertRule> }) {
  if (events.length === 0) return <p className="muted">No state changes yet.</p>;
  return (
    <div className="table-scroll">
      <table className="table compact alert-history">
        <thead>
          <tr>
            <th>When</th>
            <th>Rule</th>
            <th>Change</th>
            <th className="num">Value</th>
            <th className="num">Samples</th>
            <th>Examples</th>
            <th>Notifications</th>
          </tr>
        </thead>
        <tbody>
          {events.map((event) => {
            const rule = rulesById.get(event.ruleId);
            return (
              <tr key={event.id} data-event={event.id}>
                <td className="nowrap">{formatTimestamp(event.atMs)}</td>
                <td className="truncate">{event.ruleName}</td>
                <td className="nowrap">
                  {STATE_LABELS[event.fromState]} →{' '}
                  <span className={`status ${stateTone(event.toState)}`}>{STATE_LABELS[event.toState]}</span>
                </td>
                <td className="num">{rule ? formatAlertValue(rule, event.value) : (event.value ?? '—')}</td>
                <td className="num">{event.sampleCount}</td>
                <td>
                  {event.examples.map((example) => (
                    <Link
                      key={example.traceId}
                      href={`/traces/${encodeURIComponent(example.traceId)}`}
                      className="example-trace"
                      title={example.traceId}
                    >
                      {example.traceId.slice(0, 8)}
                    </Link>
                  ))}
                </td>
                <td>
                  {event.deliveries.length === 0 ? (
                    <span className="muted">—</span>
                  ) : (
                    event.deliveries.map((delivery) => <DeliveryStatus key={delivery.id} delivery={delivery} />)
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function DeliveryStatus({ delivery }: { delivery: AlertDelivery }) {
  const tone = delivery.status === 'delivered' ? 'good' : delivery.status === 'failed' ? 'bad' : 'pending';
  const detail = [
    `${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'}`,
    delivery.responseStatus !== null ? `HTTP ${delivery.responseStatus}` : null,
    delivery.error,
  ]
    .filter(Boolean)
    .join(' · ');
  return (
    <div className="delivery" data-delivery-status={delivery.status} title={detail}>
      <span className={`status ${tone}`}>{delivery.status}</span> <span className="muted small">{delivery.destination}</span>
      {delivery.status !== 'delivered' && delivery.error ? <div className="delivery-error">{delivery.error}</div> : null}
    </div>
  );
}
