/**
 * Tasks longer than this are left out of alert windows, in both engines: it bounds `start_ms`
 * from below, so a window query reads the rows of the last day, not the whole table.
 */
export const ALERT_MAX_TASK_MS = 86_400_000;
