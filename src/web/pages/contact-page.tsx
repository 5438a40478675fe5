import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { ArchiveIcon, BanIcon, ClockIcon, PhoneIcon } from 'lucide-react';
import type { ReactNode } from 'react';
import { DescriptionList } from '../components/description-list.tsx';
import { ErrorState } from '../components/error-state.tsx';
import { NotFoundPage } from '../components/not-found.tsx';
import { PageSkeleton } from '../components/page-skeleton.tsx';
import { Badge } from '../components/ui/badge.tsx';
import { Card, CardContent, CardHeader, CardTitle } from '../components/ui/card.tsx';
import { Tooltip } from '../components/ui/tooltip.tsx';
import { CallLogsCard } from '../features/call-logs/components/call-logs-card.tsx';
import type { ContactDetail } from '../features/contacts/api.ts';
import { DncActions } from '../features/dnc/components/dnc-actions.tsx';
import { FollowUpsCard } from '../features/follow-ups/components/follow-ups-card.tsx';
import { isApiError } from '../lib/api.ts';
import {
  formatDateTime,
  formatDuration,
  formatPhone,
  formatRelative,
  formatTimeInZone,
  zoneShortName,
} from '../lib/format.ts';
import { TIMEZONE_SOURCE_LABELS } from '../lib/labels.ts';
import { useCanOperate } from '../lib/session.ts';
import { contactQuery } from '../lib/shared-queries.ts';
import { useNow } from '../lib/use-now.ts';

const route = getRouteApi('/_app/contacts/$id');

function LocalTime({ contact }: { contact: ContactDetail }) {
  const now = useNow(15_000);
  const { timezone, source } = contact.timezoneResolved;
  return (
    <span className="inline-flex items-center gap-1.5" data-testid="contact-local-time">
      <ClockIcon aria-hidden="true" className="size-4" />
      <span>
        <span className="font-medium text-foreground">{formatTimeInZone(now, timezone)}</span>{' '}
        {zoneShortName(timezone, now)} · {timezone}
        {source !== 'contact' ? (
          <>
            {' '}
            <Tooltip content={`Time zone ${TIMEZONE_SOURCE_LABELS[source]}.`}>
              <button
                type="button"
                className="cursor-help underline decoration-dotted underline-offset-4"
              >
                (inferred)
              </button>
            </Tooltip>
          </>
        ) : null}
      </span>
    </span>
  );
}

function Tile({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0 rounded-xl border bg-card px-3 py-2.5 shadow-xs sm:px-4 sm:py-3">
      <p className="text-muted-foreground text-xs">{label}</p>
      <div className="mt-1 break-words font-semibold text-sm sm:truncate sm:text-lg">
        {children}
      </div>
    </div>
  );
}

function customValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return new Intl.NumberFormat().format(value);
  return String(value);
}

/** A contact's page (SPEC §7.1): who they are, their calls and their follow-ups. */
export function ContactPage() {
  const { id } = route.useParams();
  const query = useQuery(contactQuery(id));
  const canOperate = useCanOperate();

  if (query.isPending) return <PageSkeleton />;
  if (query.isError) {
    if (isApiError(query.error, 404) || isApiError(query.error, 400)) {
      return <NotFoundPage what="contact" backTo={{ to: '/contacts', label: 'All contacts' }} />;
    }
    return (
      <ErrorState
        error={query.error}
        title="This contact could not be loaded"
        onRetry={() => query.refetch()}
      />
    );
  }
  const contact = query.data;
  const { stats } = contact;

  return (
    <div className="grid gap-5">
      <nav aria-label="Breadcrumb" className="text-muted-foreground text-sm">
        <Link to="/contacts" className="hover:text-foreground hover:underline">
          Contacts
        </Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">{contact.name}</span>
      </nav>

      <header className="flex flex-wrap items-start gap-x-6 gap-y-3">
        <div className="min-w-0 flex-[1_1_16rem]">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="font-semibold text-2xl tracking-tight">{contact.name}</h1>
            {contact.doNotCall ? (
              <Badge variant="destructive" data-testid="dnc-badge">
                <BanIcon aria-hidden="true" />
                Do Not Call
              </Badge>
            ) : null}
            {contact.archivedAt ? (
              <Badge variant="secondary">
                <ArchiveIcon aria-hidden="true" />
                Archived
              </Badge>
            ) : null}
          </div>
          <div className="mt-1.5 flex flex-wrap items-center gap-x-4 gap-y-1 text-muted-foreground text-sm">
            <a
              href={`tel:${contact.phone}`}
              className="inline-flex items-center gap-1.5 hover:text-foreground"
            >
              <PhoneIcon aria-hidden="true" className="size-4" />
              {formatPhone(contact.phone)}
            </a>
            <LocalTime contact={contact} />
          </div>
        </div>
        {canOperate ? (
          <div className="flex items-center gap-2">
            <DncActions contact={contact} />
          </div>
        ) : null}
      </header>

      <section aria-label="Summary" className="grid grid-cols-3 gap-2 sm:gap-3">
        <Tile label="Last call">
          {stats.lastCallAt ? (
            <span title={formatDateTime(stats.lastCallAt)}>
              {formatRelative(stats.lastCallAt)}
              <span className="hidden truncate font-normal text-muted-foreground text-xs sm:block">
                {formatDateTime(stats.lastCallAt)}
              </span>
            </span>
          ) : (
            <span className="text-muted-foreground">Never called</span>
          )}
        </Tile>
        <Tile label="Talk time">{formatDuration(stats.talkTimeSeconds)}</Tile>
        <Tile label="Recent campaign">
          {stats.recentCampaign ? (
            <Link
              to="/campaigns/$id"
              params={{ id: stats.recentCampaign.id }}
              className="text-primary underline-offset-4 hover:underline"
            >
              {stats.recentCampaign.name}
            </Link>
          ) : (
            <span className="text-muted-foreground">—</span>
          )}
        </Tile>
      </section>

      <div className="grid items-start gap-5 xl:grid-cols-[minmax(0,1fr)_15rem] 2xl:grid-cols-[minmax(0,1fr)_19rem]">
        <div className="grid min-w-0 gap-5">
          <CallLogsCard contactId={contact.id} />
          <FollowUpsCard
            contact={{ id: contact.id, name: contact.name, doNotCall: contact.doNotCall }}
          />
        </div>
        <aside
          className="grid min-w-0 items-start gap-5 md:grid-cols-2 xl:grid-cols-1"
          aria-label="Contact fields"
        >
          <Card>
            <CardHeader>
              <CardTitle>Details</CardTitle>
            </CardHeader>
            <CardContent>
              <DescriptionList
                items={[
                  { label: 'First name', value: contact.firstName ?? '—' },
                  { label: 'Last name', value: contact.lastName ?? '—' },
                  { label: 'Phone', value: formatPhone(contact.phone) },
                  {
                    label: 'Email',
                    value: contact.email ? (
                      <a className="text-primary hover:underline" href={`mailto:${contact.email}`}>
                        {contact.email}
                      </a>
                    ) : (
                      '—'
                    ),
                  },
                  { label: 'Company', value: contact.company ?? '—' },
                  {
                    label: 'Time zone',
                    value: `${contact.timezoneResolved.timezone}${
                      contact.timezoneResolved.source === 'contact'
                        ? ''
                        : ` (${TIMEZONE_SOURCE_LABELS[contact.timezoneResolved.source]})`
                    }`,
                  },
                  { label: 'Region', value: regionText(contact) },
                  { label: 'Added', value: formatDateTime(contact.createdAt) },
                  { label: 'Updated', value: formatDateTime(contact.updatedAt) },
                ]}
              />
            </CardContent>
          </Card>
          <Card>
            <CardHeader>
              <CardTitle>Custom fields</CardTitle>
            </CardHeader>
            <CardContent>
              {Object.keys(contact.customFields).length === 0 ? (
                <p className="text-muted-foreground text-sm">No custom fields.</p>
              ) : (
                <DescriptionList
                  items={Object.entries(contact.customFields).map(([key, value]) => ({
                    label: key,
                    value: customValue(value),
                  }))}
                />
              )}
            </CardContent>
          </Card>
        </aside>
      </div>
    </div>
  );
}

/** The stated region, and the phone's area code region when it is another. */
function regionText(contact: ContactDetail): string {
  const fromPhone = contact.phoneRegion?.region ?? null;
  const areaCode = contact.phoneRegion?.areaCode;
  if (!contact.region) return fromPhone ? `${fromPhone} (from area code ${areaCode})` : '—';
  if (!fromPhone || fromPhone === contact.region) return contact.region;
  return `${contact.region} · area code ${areaCode}: ${fromPhone} (the rules of both apply)`;
}
