/** Timestamps in the viewer's local time: `14:03:27` today, `Nov 23 14:03` otherwise. */
export function formatTimestamp(epochMs: number, nowMs: number = Date.now()): string {
  const date = new Date(epochMs);
  const now = new Date(nowMs);
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  if (date.toDateString() === now.toDateString()) return time;
  return `${MONTHS[date.getMonth()]} ${date.getDate()} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Axis labels for a chart over `spanMs`: clock time within a day, date and hour beyond. */
export function formatAxisTime(epochMs: number, spanMs: number): string {
  const date = new Date(epochMs);
  if (spanMs <= 2 * 86_400_000) return `${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return `${MONTHS[date.getMonth()]} ${date.getDate()} ${pad(date.getHours())}h`;
}

/** `<input type="datetime-local">` value for an epoch ms, and back. */
export function toDateTimeLocal(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromDateTimeLocal(value: string): number | null {
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
