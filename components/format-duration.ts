/** Seconds as the dashboard writes durations ("45 s", "12 min", "3 h 5 min", "2 days"): message keys in `duration`. */
export function durationParts(seconds: number): {
  key: 'seconds' | 'minutes' | 'hours' | 'days';
  values: Record<string, number>;
} {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return { key: 'seconds', values: { count: s } };
  if (s < 3600) return { key: 'minutes', values: { count: Math.floor(s / 60) } };
  if (s < 86_400)
    return { key: 'hours', values: { hours: Math.floor(s / 3600), minutes: Math.floor((s % 3600) / 60) } };
  return { key: 'days', values: { count: Math.floor(s / 86_400) } };
}
