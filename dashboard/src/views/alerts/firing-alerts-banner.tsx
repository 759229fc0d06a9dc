import type { AlertsResponse } from '@threshold/core';
import { useApi } from '../../api/use-api';
import { useLiveRefresh } from '../../live/live-context';
import { Link } from '../../router/link';
import { usePollingKey } from './use-polling-key';
import { formatAlertValue, formatWindow, statisticLabel, targetLabel } from './alert-labels';
import './alerts.css';

/** For the overview: the alerts firing now, each linking to its rule. Renders nothing when none fire. */
export function FiringAlertsBanner() {
  const refreshKey = `${useLiveRefresh(5_000)}-${usePollingKey(15_000)}`;
  const { data } = useApi<AlertsResponse>('/api/alerts', { refreshKey, keepPrevious: true });
  const firing = (data?.alerts ?? []).filter((alert) => alert.state.state === 'firing');
  if (firing.length === 0) return null;
  return (
    <div className="alert-banner" role="status" data-firing-count={firing.length}>
      <strong>
        {firing.length} alert{firing.length === 1 ? '' : 's'} firing
      </strong>
      <ul>
        {firing.map(({ rule, state }) => (
          <li key={rule.id}>
            <Link href={`/alerts?rule=${encodeURIComponent(rule.id)}`}>{rule.name}</Link>
            <span className="muted">
              {' '}
              · {targetLabel(rule)}: {statisticLabel(rule)} {formatAlertValue(rule, state.value)} over {formatWindow(rule)} (threshold{' '}
              {formatAlertValue(rule, rule.threshold)})
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
