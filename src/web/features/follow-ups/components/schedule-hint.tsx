import { useQuery } from '@tanstack/react-query';
import { CheckCircle2Icon, ClockAlertIcon, LoaderIcon, MoonIcon, XCircleIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import type { FollowUpType } from '../../../../core/follow-up.ts';
import { errorMessage } from '../../../lib/api.ts';
import { formatDateTime, formatInZone } from '../../../lib/format.ts';
import { NOT_RUNNING_LABELS, TIMEZONE_SOURCE_LABELS } from '../../../lib/labels.ts';
import { useDebounced } from '../../../lib/use-debounced.ts';
import { type PreviewInput, previewQuery } from '../api.ts';
import { CallingRulesList } from './calling-rules.tsx';

/**
 * The live hint under "Scheduled at": the contact's local time for the chosen moment, whether
 * it is inside the calling window, when it will actually run (SPEC §7.2.1), and the calling
 * rules that shaped the answer with their sources (federal and state hours, holidays, every
 * zone, caps, what the override lifts). The server computes it with the engine's own rules
 * (POST /api/follow-ups/preview).
 */
export function ScheduleHint({
  contactId,
  type,
  scheduledAt,
  allowOutOfWindow,
  campaignId,
}: {
  contactId: string;
  type: FollowUpType;
  /** ISO instant, or null while the input is not a valid date and time. */
  scheduledAt: string | null;
  allowOutOfWindow: boolean;
  campaignId?: string | null;
}) {
  const input: PreviewInput | null = scheduledAt
    ? { contactId, type, scheduledAt, allowOutOfWindow, campaignId: campaignId ?? undefined }
    : null;
  const debounced = useDebounced(input, 350);
  const preview = useQuery(previewQuery(debounced));
  const settling = JSON.stringify(input) !== JSON.stringify(debounced) || preview.isFetching;

  if (!scheduledAt) {
    return <span>Choose a date and time to see the contact's local time.</span>;
  }
  if (preview.isError && !preview.data) {
    return <span>The calling window could not be checked: {errorMessage(preview.error)}</span>;
  }
  const data = preview.data;
  if (!data) {
    return (
      <span className="inline-flex items-center gap-1.5">
        <LoaderIcon aria-hidden="true" className="size-3.5 animate-spin" />
        Checking the contact's calling window…
      </span>
    );
  }

  const zone = data.timezone;
  const zoneNote =
    data.timezoneSource === 'contact' ? '' : ` (${TIMEZONE_SOURCE_LABELS[data.timezoneSource]})`;
  let status: ReactNode;
  if (data.runsAt === null) {
    status = (
      <span className="inline-flex items-start gap-1.5 text-red-700 dark:text-red-300">
        <XCircleIcon aria-hidden="true" className="mt-0.5 size-3.5 shrink-0" />
        {data.notRunningBecause
          ? NOT_RUNNING_LABELS[data.notRunningBecause]
          : 'It will not run at this time.'}
      </span>
    );
  } else if (type === 'webhook') {
    status = (
      <span className="inline-flex items-start gap-1.5">
        <CheckCircle2Icon aria-hidden="true" className="mt-0.5 size-3.5 shrink-0 text-green-600" />
        Webhooks run at their time: no calling window applies.
      </span>
    );
  } else if (data.insideWindow) {
    status = (
      <span className="inline-flex items-start gap-1.5">
        <CheckCircle2Icon aria-hidden="true" className="mt-0.5 size-3.5 shrink-0 text-green-600" />
        Inside the calling window.
      </span>
    );
  } else if (allowOutOfWindow) {
    status = (
      <span className="inline-flex items-start gap-1.5">
        <MoonIcon aria-hidden="true" className="mt-0.5 size-3.5 shrink-0 text-violet-600" />
        Outside the calling window; the customer override lets it run at this time.
      </span>
    );
  } else {
    status = (
      <span className="inline-flex items-start gap-1.5 text-amber-800 dark:text-amber-200">
        <ClockAlertIcon aria-hidden="true" className="mt-0.5 size-3.5 shrink-0" />
        <span>
          Outside the calling window. It will run at{' '}
          <strong className="font-semibold">{formatInZone(data.runsAt, zone)}</strong> contact time
          ({formatDateTime(data.runsAt)} yours) unless you allow out-of-window.
        </span>
      </span>
    );
  }

  return (
    <span
      aria-live="polite"
      data-testid="schedule-hint"
      className={`grid gap-1 transition-opacity ${settling ? 'opacity-60' : ''}`}
    >
      <span>
        Contact's local time:{' '}
        <strong className="font-semibold text-foreground">
          {formatInZone(data.localTime, zone)}
        </strong>{' '}
        · {zone}
        {zoneNote}
      </span>
      {status}
      <CallingRulesList rules={data.rules} className="text-xs" />
    </span>
  );
}
