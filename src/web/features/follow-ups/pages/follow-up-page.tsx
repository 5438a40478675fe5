import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import {
  AlertTriangleIcon,
  BanIcon,
  BellOffIcon,
  CalendarClockIcon,
  PlayIcon,
  RotateCcwIcon,
  XCircleIcon,
} from 'lucide-react';
import { lazy, Suspense, useState } from 'react';
import { toast } from 'sonner';
import { INHERIT_LABEL } from '../../../../core/agent-routing.ts';
import { isOpen, PRIORITY_LABELS, SOURCE_LABELS, TYPE_LABELS } from '../../../../core/follow-up.ts';
import { DescriptionList } from '../../../components/description-list.tsx';
import { ErrorState } from '../../../components/error-state.tsx';
import { NotFoundPage } from '../../../components/not-found.tsx';
import { PageSkeleton } from '../../../components/page-skeleton.tsx';
import { StatusCell, WaitingNote } from '../../../components/status-badge.tsx';
import { Alert } from '../../../components/ui/alert.tsx';
import { Badge } from '../../../components/ui/badge.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '../../../components/ui/card.tsx';
import { errorMessage, isApiError } from '../../../lib/api.ts';
import { formatDateTime, formatInZone } from '../../../lib/format.ts';
import { TIMEZONE_SOURCE_LABELS } from '../../../lib/labels.ts';
import { useCanOperate } from '../../../lib/session.ts';
import {
  cancelFollowUp,
  type FollowUp,
  type FollowUpDetail,
  followUpKeys,
  followUpQuery,
  resumeFollowUp,
  retryFollowUp,
  snoozeFollowUp,
} from '../api.ts';
import { CancelDialog, SnoozeDialog } from '../components/action-dialogs.tsx';
import { AttemptsTable } from '../components/attempts-table.tsx';
import { FollowUpCallingRules } from '../components/calling-rules.tsx';
import { Timeline } from '../components/timeline.tsx';

const route = getRouteApi('/_app/follow-ups/$id');

const RescheduleFollowUpDialog = lazy(() =>
  import('../components/follow-up-form-dialog.tsx').then((m) => ({
    default: m.RescheduleFollowUpDialog,
  })),
);

const link = 'text-primary underline-offset-4 hover:underline';

/** A time in the viewer's zone, and below it the contact's wall clock at that instant. */
function TwoZones({ at, local, zone }: { at: string; local: string | null; zone: string }) {
  return (
    <span className="grid">
      <time dateTime={at}>{formatDateTime(at)}</time>
      <span className="text-muted-foreground text-xs">
        Contact's time: {formatInZone(local ?? at, zone)}
      </span>
    </span>
  );
}

function detailItems(f: FollowUpDetail) {
  const zone = f.contactLocal.timezone;
  const zoneNote =
    f.contactLocal.timezoneSource === 'contact'
      ? ''
      : ` (${TIMEZONE_SOURCE_LABELS[f.contactLocal.timezoneSource]})`;
  return [
    {
      label: 'Contact',
      value: (
        <span className="inline-flex flex-wrap items-center gap-2">
          <Link to="/contacts/$id" params={{ id: f.contact.id }} className={link}>
            {f.contact.name}
          </Link>
          {f.contact.doNotCall ? (
            <Badge variant="destructive" data-testid="dnc-badge">
              <BanIcon aria-hidden="true" />
              Do Not Call
            </Badge>
          ) : null}
        </span>
      ),
    },
    { label: 'Type', value: TYPE_LABELS[f.type] },
    {
      label: 'Scheduled',
      value: <TwoZones at={f.scheduledAt} local={f.contactLocal.scheduledAt} zone={zone} />,
      testId: 'detail-scheduled',
    },
    {
      label: 'Next attempt',
      value: f.nextAttemptAt ? (
        <TwoZones at={f.nextAttemptAt} local={f.contactLocal.nextAttemptAt} zone={zone} />
      ) : isOpen(f.status) ? (
        'At the scheduled time'
      ) : (
        '—'
      ),
    },
    { label: "Contact's time zone", value: `${zone}${zoneNote}` },
    {
      label: 'Agent',
      value: f.agent ? f.agent.name : INHERIT_LABEL,
    },
    {
      label: 'Resolved agent',
      value: f.resolvedAgent ? (
        f.resolvedAgent.name
      ) : (
        <span className="text-muted-foreground">Not known yet: decided when it runs</span>
      ),
    },
    { label: 'Priority', value: PRIORITY_LABELS[f.priority] },
    { label: 'Attempts', value: `${f.attempts} / ${f.maxAttempts}` },
    { label: 'Max attempts', value: String(f.maxAttempts) },
    {
      label: 'Allow out-of-window',
      value: f.allowOutOfWindow ? 'Yes: the customer asked (override)' : 'No',
    },
    {
      label: 'Campaign',
      value: f.campaign ? (
        <Link to="/campaigns/$id" params={{ id: f.campaign.id }} className={link}>
          {f.campaign.name}
        </Link>
      ) : (
        '—'
      ),
    },
    { label: 'Source', value: SOURCE_LABELS[f.source] },
    { label: 'Snoozed until', value: formatDateTime(f.snoozedUntil) },
    { label: 'Expires', value: formatDateTime(f.expiresAt) },
    { label: 'Completed', value: formatDateTime(f.completedAt) },
    { label: 'Last error', value: f.lastError ?? '—' },
    { label: 'Created by', value: f.createdBy?.name ?? 'System' },
    { label: 'Created', value: formatDateTime(f.createdAt) },
    { label: 'Updated', value: formatDateTime(f.updatedAt) },
    {
      label: 'Notes',
      value: f.notes ? <span className="whitespace-pre-wrap">{f.notes}</span> : '—',
      wide: true,
    },
  ];
}

/** One follow-up: every field, what may be done now, and what happened (SPEC §7.4). */
export function FollowUpPage() {
  const { id } = route.useParams();
  const query = useQuery(followUpQuery(id));
  const queryClient = useQueryClient();
  const canOperate = useCanOperate();
  const [dialog, setDialog] = useState<'reschedule' | 'snooze' | 'cancel' | null>(null);
  const [rescheduleMounted, setRescheduleMounted] = useState(false);

  async function refresh() {
    await queryClient.invalidateQueries({ queryKey: followUpKeys.all });
  }

  const action = useMutation({
    mutationFn: async (kind: 'resume' | 'retry') =>
      kind === 'resume' ? resumeFollowUp(id) : retryFollowUp(id),
    onSuccess: async (_data, kind) => {
      toast.success(kind === 'resume' ? 'Follow-up resumed' : 'Follow-up scheduled again');
      await refresh();
    },
    onError: (error, kind) => {
      toast.error(kind === 'resume' ? 'Could not resume' : 'Could not retry', {
        description: errorMessage(error),
      });
      void refresh();
    },
  });

  if (query.isPending) return <PageSkeleton />;
  if (query.isError) {
    if (isApiError(query.error, 404) || isApiError(query.error, 400)) {
      return (
        <NotFoundPage what="follow-up" backTo={{ to: '/follow-ups', label: 'All follow-ups' }} />
      );
    }
    return (
      <ErrorState
        error={query.error}
        title="This follow-up could not be loaded"
        onRetry={() => query.refetch()}
      />
    );
  }
  const f = query.data;
  const allowed = new Set(canOperate ? f.allowedActions : []);
  const dialogContact = f.contact;

  async function afterAction(done: FollowUp, message: string) {
    setDialog(null);
    toast.success(
      message,
      done.snoozedUntil ? { description: `Until ${formatDateTime(done.snoozedUntil)}` } : undefined,
    );
    await refresh();
  }

  return (
    <div className="grid gap-5">
      <nav aria-label="Breadcrumb" className="text-muted-foreground text-sm">
        <Link to="/follow-ups" className="hover:text-foreground hover:underline">
          Follow-ups
        </Link>
        <span aria-hidden="true"> / </span>
        <Link
          to="/follow-ups"
          search={{ contactId: f.contact.id }}
          className="hover:text-foreground hover:underline"
        >
          {f.contact.name}
        </Link>
      </nav>

      <header className="flex flex-wrap items-start gap-x-6 gap-y-3">
        <div className="min-w-0 flex-[1_1_16rem]">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="font-semibold text-2xl tracking-tight">
              {TYPE_LABELS[f.type]} for {f.contact.name}
            </h1>
            <StatusCell status={f.status} allowOutOfWindow={f.allowOutOfWindow} />
          </div>
          <p className="mt-1 text-muted-foreground text-sm">
            Scheduled {formatDateTime(f.scheduledAt)} · contact's time{' '}
            {formatInZone(f.contactLocal.scheduledAt, f.contactLocal.timezone)}
          </p>
          {f.waiting ? (
            <p
              className="mt-2 inline-flex items-center gap-2 rounded-md border border-blue-200 bg-blue-50 px-2.5 py-1.5 text-blue-900 text-sm dark:border-blue-900 dark:bg-blue-950 dark:text-blue-100"
              data-testid="waiting"
            >
              <span className="font-medium">Not running yet:</span>
              <WaitingNote waiting={f.waiting} className="text-inherit text-sm" />
            </p>
          ) : null}
        </div>
        {allowed.size > 0 ? (
          <div className="flex flex-wrap items-center gap-2" data-testid="follow-up-actions">
            {allowed.has('edit') ? (
              <Button
                variant="outline"
                size="sm"
                onClick={() => {
                  setRescheduleMounted(true);
                  setDialog('reschedule');
                }}
              >
                <CalendarClockIcon aria-hidden="true" />
                Reschedule
              </Button>
            ) : null}
            {allowed.has('snooze') ? (
              <Button variant="outline" size="sm" onClick={() => setDialog('snooze')}>
                <BellOffIcon aria-hidden="true" />
                Snooze
              </Button>
            ) : null}
            {allowed.has('resume') ? (
              <Button
                variant="outline"
                size="sm"
                disabled={action.isPending}
                onClick={() => action.mutate('resume')}
              >
                <PlayIcon aria-hidden="true" />
                Resume
              </Button>
            ) : null}
            {allowed.has('retry') ? (
              <Button
                variant="outline"
                size="sm"
                disabled={action.isPending}
                onClick={() => action.mutate('retry')}
              >
                <RotateCcwIcon aria-hidden="true" />
                Retry
              </Button>
            ) : null}
            {allowed.has('cancel') ? (
              <Button variant="outline" size="sm" onClick={() => setDialog('cancel')}>
                <XCircleIcon aria-hidden="true" />
                Cancel
              </Button>
            ) : null}
          </div>
        ) : null}
      </header>

      {f.lastError &&
      (f.status === 'failed' || f.status === 'expired' || f.status === 'scheduled') ? (
        <Alert variant={f.status === 'scheduled' ? 'warning' : 'destructive'}>
          <AlertTriangleIcon aria-hidden="true" />
          <div>
            <p className="font-medium">
              {f.status === 'scheduled' ? 'The last attempt failed' : 'Why it stopped'}
            </p>
            <p>{f.lastError}</p>
          </div>
        </Alert>
      ) : null}

      <div className="grid items-start gap-5 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="grid min-w-0 gap-5">
          <Card>
            <CardHeader>
              <CardTitle>Details</CardTitle>
            </CardHeader>
            <CardContent>
              <DescriptionList columns={2} items={detailItems(f)} />
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Calling rules</CardTitle>
            </CardHeader>
            <CardContent>
              <FollowUpCallingRules followUp={f} />
            </CardContent>
          </Card>
        </div>
        <Card>
          <CardHeader>
            <CardTitle>Timeline</CardTitle>
          </CardHeader>
          <CardContent>
            <Timeline events={f.events} />
          </CardContent>
        </Card>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>Attempts</CardTitle>
        </CardHeader>
        <CardContent>
          <AttemptsTable attempts={f.attemptHistory} open={isOpen(f.status)} />
        </CardContent>
      </Card>

      {rescheduleMounted ? (
        <Suspense fallback={null}>
          <RescheduleFollowUpDialog
            open={dialog === 'reschedule'}
            onOpenChange={(open) => setDialog(open ? 'reschedule' : null)}
            followUp={f}
            contact={dialogContact}
          />
        </Suspense>
      ) : null}
      <SnoozeDialog
        open={dialog === 'snooze'}
        onOpenChange={(open) => setDialog(open ? 'snooze' : null)}
        onConfirm={async (until) =>
          afterAction(await snoozeFollowUp(id, until), 'Follow-up snoozed')
        }
      />
      <CancelDialog
        open={dialog === 'cancel'}
        onOpenChange={(open) => setDialog(open ? 'cancel' : null)}
        onConfirm={async (reason) =>
          afterAction(await cancelFollowUp(id, reason), 'Follow-up cancelled')
        }
      />
    </div>
  );
}
