import { useLiveStatus } from '../live/live-context';

const TEXT = { open: 'Live', connecting: 'Connecting…', reconnecting: 'Reconnecting…', unavailable: 'Live off' } as const;

/** The state of the live stream, so a user knows whether new tasks will appear by themselves. */
export function LiveIndicator() {
  const status = useLiveStatus();
  return (
    <span className={`live live-${status}`} data-live-status={status} title="New tasks appear as the collector finishes them">
      <span className="live-dot" aria-hidden="true" />
      {TEXT[status]}
    </span>
  );
}
