export { CAMPAIGN_STATUS_LABELS } from '../../../core/campaign-status.ts';
export { WEEKDAY_LABELS } from '../../components/calling-window-model.ts';

/** 30 → "30 min", 90 → "1 h 30 min", 1440 → "1 day"; null → the customer's requested time. */
export function formatDelay(minutes: number | null): string {
  if (minutes === null) return 'At the time the customer asked for';
  if (minutes === 0) return 'Right away';
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts = [
    days ? `${days} day${days === 1 ? '' : 's'}` : '',
    hours ? `${hours} h` : '',
    mins ? `${mins} min` : '',
  ].filter(Boolean);
  return `${parts.join(' ')} after the call`;
}
