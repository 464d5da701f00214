// How the dashboard writes its figures: durations in hours below two days, else
// days; effort in hours; shares as whole percentages.
export function formatDuration(hours: number | null): string {
  if (hours === null) return '—';
  if (hours < 48) return `${hours.toFixed(1)} h`;
  return `${(hours / 24).toFixed(1)} days`;
}

export const formatHours = (minutes: number) => `${(minutes / 60).toFixed(1)} h`;

export const formatShare = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)} %`);

export { plural } from '../../ui/format';
