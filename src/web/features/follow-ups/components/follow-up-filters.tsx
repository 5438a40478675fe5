import { useQuery } from '@tanstack/react-query';
import {
  CheckIcon,
  ChevronDownIcon,
  FilterXIcon,
  SearchIcon,
  SlidersHorizontalIcon,
} from 'lucide-react';
import type * as React from 'react';
import { useState } from 'react';
import {
  FOLLOW_UP_STATUSES,
  FOLLOW_UP_TYPES,
  type FollowUpSource,
  type FollowUpType,
  PRIORITIES,
  PRIORITY_LABELS,
  type Priority,
  SOURCE_LABELS,
  SOURCES,
  STATUS_LABELS,
  TYPE_LABELS,
} from '../../../../core/follow-up.ts';
import { Button } from '../../../components/ui/button.tsx';
import { Checkbox } from '../../../components/ui/checkbox.tsx';
import { Input, inputClass } from '../../../components/ui/input.tsx';
import { Label } from '../../../components/ui/label.tsx';
import { Popover, PopoverContent, PopoverTrigger } from '../../../components/ui/popover.tsx';
import { Select } from '../../../components/ui/select.tsx';
import { fromLocalInputValue, toLocalInputValue } from '../../../lib/format.ts';
import {
  agentsQuery,
  campaignsQuery,
  contactQuery,
  contactSearchQuery,
} from '../../../lib/shared-queries.ts';
import { useDebounced } from '../../../lib/use-debounced.ts';
import { cn } from '../../../lib/utils.ts';
import { type FollowUpsSearch, parseStatuses } from '../search.ts';

const ANY = '__any__';
const triggerClass = cn(inputClass, 'items-center justify-between gap-2 text-left');

function FilterField({
  id,
  label,
  children,
  className,
}: {
  id: string;
  label: string;
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <div className={cn('grid min-w-0 gap-1.5', className)}>
      <Label htmlFor={id} id={`${id}-label`}>
        {label}
      </Label>
      {children}
    </div>
  );
}

/** Contact: search by name or phone; the choice becomes `contactId` in the URL. */
function ContactFilter({
  contactId,
  onChange,
}: {
  contactId: string | undefined;
  onChange: (contactId: string | undefined) => void;
}) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const q = useDebounced(text.trim(), 250);
  const chosen = useQuery({ ...contactQuery(contactId ?? ''), enabled: !!contactId });
  const results = useQuery({ ...contactSearchQuery(q), enabled: open });
  const label = contactId ? (chosen.data?.name ?? 'Loading…') : 'Any contact';

  return (
    <Popover open={open} onOpenChange={setOpen}>
      <PopoverTrigger asChild>
        <button
          type="button"
          id="filter-contact"
          aria-labelledby="filter-contact-label filter-contact"
          data-testid="contact-filter"
          className={triggerClass}
        >
          <span className={cn('truncate', !contactId && 'text-muted-foreground')}>{label}</span>
          <ChevronDownIcon aria-hidden="true" className="size-4 shrink-0 opacity-60" />
        </button>
      </PopoverTrigger>
      <PopoverContent className="w-80">
        <div className="relative mb-2">
          <SearchIcon
            aria-hidden="true"
            className="-translate-y-1/2 pointer-events-none absolute top-1/2 left-2.5 size-4 text-muted-foreground"
          />
          <Input
            autoFocus
            type="search"
            aria-label="Search contacts by name or phone"
            placeholder="Name or phone"
            value={text}
            onChange={(e) => setText(e.target.value)}
            className="pl-8"
          />
        </div>
        <ul className="grid max-h-72 gap-0.5 overflow-y-auto" aria-label="Contacts">
          <li>
            <button
              type="button"
              className="flex w-full items-center justify-between rounded-sm px-2 py-1.5 text-left text-sm hover:bg-accent focus-visible:bg-accent"
              onClick={() => {
                onChange(undefined);
                setOpen(false);
              }}
            >
              Any contact
              {!contactId ? <CheckIcon aria-hidden="true" className="size-4" /> : null}
            </button>
          </li>
          {results.isPending ? (
            <li className="px-2 py-1.5 text-muted-foreground text-sm">Searching…</li>
          ) : results.isError ? (
            <li className="px-2 py-1.5 text-muted-foreground text-sm">
              The contacts could not be searched.{' '}
              <button type="button" className="underline" onClick={() => results.refetch()}>
                Try again
              </button>
            </li>
          ) : results.data.items.length === 0 ? (
            <li className="px-2 py-1.5 text-muted-foreground text-sm">No contact matches.</li>
          ) : (
            results.data.items.map((contact) => (
              <li key={contact.id}>
                <button
                  type="button"
                  className="flex w-full items-center justify-between gap-2 rounded-sm px-2 py-1.5 text-left text-sm hover:bg-accent focus-visible:bg-accent"
                  onClick={() => {
                    onChange(contact.id);
                    setOpen(false);
                    setText('');
                  }}
                >
                  <span className="min-w-0">
                    <span className="block truncate font-medium">{contact.name}</span>
                    <span className="block truncate text-muted-foreground text-xs">
                      {contact.phone}
                    </span>
                  </span>
                  {contact.id === contactId ? (
                    <CheckIcon aria-hidden="true" className="size-4 shrink-0" />
                  ) : null}
                </button>
              </li>
            ))
          )}
        </ul>
      </PopoverContent>
    </Popover>
  );
}

/** Status: several at once (a comma list in the URL). */
function StatusFilter({
  value,
  onChange,
}: {
  value: string | undefined;
  onChange: (value: string | undefined) => void;
}) {
  const chosen = parseStatuses(value);
  const label =
    chosen.length === 0
      ? 'Any status'
      : chosen.length <= 2
        ? chosen.map((s) => STATUS_LABELS[s]).join(', ')
        : `${chosen.length} statuses`;
  return (
    <Popover>
      <PopoverTrigger asChild>
        <button
          type="button"
          id="filter-status"
          aria-labelledby="filter-status-label filter-status"
          className={triggerClass}
        >
          <span className={cn('truncate', chosen.length === 0 && 'text-muted-foreground')}>
            {label}
          </span>
          <ChevronDownIcon aria-hidden="true" className="size-4 shrink-0 opacity-60" />
        </button>
      </PopoverTrigger>
      <PopoverContent className="w-56">
        <fieldset className="grid gap-1">
          <legend className="sr-only">Statuses</legend>
          {FOLLOW_UP_STATUSES.map((status) => {
            const checked = chosen.includes(status);
            const id = `filter-status-${status}`;
            return (
              <div
                key={status}
                className="flex items-center gap-2 rounded-sm px-2 py-1.5 hover:bg-accent"
              >
                <Checkbox
                  id={id}
                  checked={checked}
                  onCheckedChange={(next) => {
                    const set = new Set(chosen);
                    if (next === true) set.add(status);
                    else set.delete(status);
                    const list = FOLLOW_UP_STATUSES.filter((s) => set.has(s));
                    onChange(list.length ? list.join(',') : undefined);
                  }}
                />
                <Label htmlFor={id} className="flex-1 cursor-pointer font-normal">
                  {STATUS_LABELS[status]}
                </Label>
              </div>
            );
          })}
        </fieldset>
        {chosen.length ? (
          <Button
            variant="ghost"
            size="sm"
            className="mt-1 w-full"
            onClick={() => onChange(undefined)}
          >
            Any status
          </Button>
        ) : null}
      </PopoverContent>
    </Popover>
  );
}

function instantToInput(value: string | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : toLocalInputValue(date);
}

/** Whether any filter is chosen (the view, a tab, is not a filter). */
export function hasFilters(search: FollowUpsSearch): boolean {
  const { view: _view, ...filters } = search;
  return Object.values(filters).some((v) => v !== undefined && v !== '');
}

/** The filters of the global list (SPEC §7.3); every change goes into the URL. */
export function FollowUpFilters({
  search,
  onChange,
  onClear,
}: {
  search: FollowUpsSearch;
  onChange: (patch: Partial<FollowUpsSearch>) => void;
  onClear: () => void;
}) {
  const [open, setOpen] = useState(false);
  const agents = useQuery(agentsQuery);
  const campaigns = useQuery(campaignsQuery);
  const agentOptions = [
    { value: ANY, label: 'Any agent' },
    ...(agents.data?.items ?? []).map((a) => ({
      value: a.id,
      label: a.status === 'active' ? a.name : `${a.name} (inactive)`,
    })),
  ];
  const campaignOptions = [
    { value: ANY, label: 'Any campaign' },
    ...(campaigns.data?.items ?? []).map((c) => ({ value: c.id, label: c.name })),
  ];

  const active = Object.values(search).filter((v) => v !== undefined && v !== '').length;
  return (
    <>
      <div className="flex items-center justify-between gap-2 sm:hidden">
        <Button
          variant="outline"
          size="sm"
          aria-expanded={open}
          aria-controls="follow-up-filters"
          onClick={() => setOpen((v) => !v)}
        >
          <SlidersHorizontalIcon aria-hidden="true" />
          {active ? `Filters (${active})` : 'Filters'}
        </Button>
        {active ? (
          <Button variant="ghost" size="sm" onClick={onClear}>
            <FilterXIcon aria-hidden="true" />
            Clear filters
          </Button>
        ) : null}
      </div>
      <section
        id="follow-up-filters"
        aria-label="Filters"
        className={cn(
          'grid grid-cols-2 gap-3 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-5',
          open ? 'mt-3 sm:mt-0' : 'hidden sm:grid',
        )}
      >
        <FilterField id="filter-contact" label="Contact" className="col-span-2 sm:col-span-1">
          <ContactFilter
            contactId={search.contactId}
            onChange={(contactId) => onChange({ contactId })}
          />
        </FilterField>
        <FilterField id="filter-status" label="Status">
          <StatusFilter
            value={search.status}
            // Chosen statuses replace the view's: the list shows them, latest first.
            onChange={(status) => onChange({ status, view: undefined })}
          />
        </FilterField>
        <FilterField id="filter-type" label="Type">
          <Select
            id="filter-type"
            value={search.type ?? ANY}
            onValueChange={(v) => onChange({ type: v === ANY ? undefined : (v as FollowUpType) })}
            options={[
              { value: ANY, label: 'Any type' },
              ...FOLLOW_UP_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] })),
            ]}
          />
        </FilterField>
        <FilterField id="filter-agent" label="Agent">
          <Select
            id="filter-agent"
            value={search.agentId ?? ANY}
            onValueChange={(v) => onChange({ agentId: v === ANY ? undefined : v })}
            options={agentOptions}
          />
        </FilterField>
        <FilterField id="filter-campaign" label="Campaign">
          <Select
            id="filter-campaign"
            value={search.campaignId ?? ANY}
            onValueChange={(v) => onChange({ campaignId: v === ANY ? undefined : v })}
            options={campaignOptions}
          />
        </FilterField>
        <FilterField id="filter-priority" label="Priority">
          <Select
            id="filter-priority"
            value={search.priority ?? ANY}
            onValueChange={(v) => onChange({ priority: v === ANY ? undefined : (v as Priority) })}
            options={[
              { value: ANY, label: 'Any priority' },
              ...PRIORITIES.map((p) => ({ value: p, label: PRIORITY_LABELS[p] })),
            ]}
          />
        </FilterField>
        <FilterField id="filter-source" label="Source">
          <Select
            id="filter-source"
            value={search.source ?? ANY}
            onValueChange={(v) =>
              onChange({ source: v === ANY ? undefined : (v as FollowUpSource) })
            }
            options={[
              { value: ANY, label: 'Any source' },
              ...SOURCES.map((s) => ({ value: s, label: SOURCE_LABELS[s] })),
            ]}
          />
        </FilterField>
        <FilterField id="filter-from" label="Scheduled from">
          <Input
            id="filter-from"
            type="datetime-local"
            value={instantToInput(search.scheduledFrom)}
            onChange={(e) =>
              onChange({ scheduledFrom: fromLocalInputValue(e.target.value) ?? undefined })
            }
          />
        </FilterField>
        <FilterField id="filter-to" label="Scheduled to">
          <Input
            id="filter-to"
            type="datetime-local"
            value={instantToInput(search.scheduledTo)}
            onChange={(e) =>
              onChange({ scheduledTo: fromLocalInputValue(e.target.value) ?? undefined })
            }
          />
        </FilterField>
        <div className="col-span-2 flex items-end sm:col-span-1">
          <Button
            variant="ghost"
            onClick={onClear}
            disabled={!hasFilters(search)}
            className="w-full sm:w-auto"
          >
            <FilterXIcon aria-hidden="true" />
            Clear filters
          </Button>
        </div>
      </section>
    </>
  );
}
