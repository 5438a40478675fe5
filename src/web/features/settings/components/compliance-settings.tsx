/**
 * Settings › "Compliance": the calling rules in force for the workspace (docs/compliance.md) —
 * the federal bound, the state table from src/core (the one table the engine applies, with its
 * sources), the frequency caps, every-zone and public holidays — with the "not legal advice"
 * note. Everyone reads; admins change the caps, every-zone and holidays (PATCH /api/settings).
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ScaleIcon } from 'lucide-react';
import type * as React from 'react';
import { useId, useState } from 'react';
import { Controller, type UseFormReturn, useForm } from 'react-hook-form';
import { toast } from 'sonner';
import type { z } from 'zod';
import { FrequencyCapsInput, PatchSettingsBody } from '../../../../contracts/settings.contract.ts';
import { WEEKDAYS } from '../../../../core/calling-window.ts';
import { capText } from '../../../../core/frequency-caps.ts';
import { FEDERAL_RULE, STATE_CALLING_RULES } from '../../../../core/state-calling-rules.ts';
import { ErrorState } from '../../../components/error-state.tsx';
import { FormError } from '../../../components/form-refusal.tsx';
import {
  FrequencyCapsEditor,
  type FrequencyCapsValues,
} from '../../../components/frequency-caps-editor.tsx';
import { Alert } from '../../../components/ui/alert.tsx';
import { Button } from '../../../components/ui/button.tsx';
import {
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
} from '../../../components/ui/card.tsx';
import { Checkbox } from '../../../components/ui/checkbox.tsx';
import { Label } from '../../../components/ui/label.tsx';
import { Skeleton } from '../../../components/ui/skeleton.tsx';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '../../../components/ui/table.tsx';
import { ApiError, errorMessage } from '../../../lib/api.ts';
import { type Settings, settingsKeys, settingsQuery, updateSettings } from '../api.ts';

export const NOT_LEGAL_ADVICE =
  'This is not legal advice. The rules below are a reviewed starting point with their sources; ' +
  'the statutes have exemptions the product does not model, so check them with your counsel.';

/** The part of PATCH /api/settings this screen sends, from the contracts. */
const ComplianceForm = PatchSettingsBody.pick({ everyZone: true, closedOnPublicHolidays: true })
  .required()
  .extend({ frequencyCaps: FrequencyCapsInput });
type ComplianceValues = z.infer<typeof ComplianceForm>;

const DAY_SHORT: Record<(typeof WEEKDAYS)[number], string> = {
  monday: 'Mon',
  tuesday: 'Tue',
  wednesday: 'Wed',
  thursday: 'Thu',
  friday: 'Fri',
  saturday: 'Sat',
  sunday: 'Sun',
};

function StateRulesTable() {
  return (
    <div className="grid gap-2">
      <p className="text-sm">
        Every call and SMS stays inside the federal bound, <strong>{FEDERAL_RULE.text}</strong> (
        <a className="underline" href={FEDERAL_RULE.link} target="_blank" rel="noreferrer">
          {FEDERAL_RULE.citation}
        </a>
        ), and inside the rule of every state the contact may be in — its stated region or its
        phone's area code. The strictest wins. These apply always; they are not settings.
      </p>
      <Table aria-label="State calling rules" data-testid="state-rules">
        <TableHeader>
          <TableRow>
            <TableHead>State</TableHead>
            <TableHead>Hours (called person's local time)</TableHead>
            <TableHead>Sundays and holidays</TableHead>
            <TableHead>Call limit</TableHead>
            <TableHead>Source</TableHead>
            <TableHead>In effect since</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {STATE_CALLING_RULES.map((rule) => (
            <TableRow key={rule.region} data-region={rule.region}>
              <TableCell className="font-medium">
                {rule.state} <span className="text-muted-foreground">({rule.region})</span>
              </TableCell>
              <TableCell>
                <ul className="grid gap-0.5 text-xs">
                  {WEEKDAYS.map((day) => {
                    const ranges = rule.hours[day];
                    return (
                      <li key={day} className="whitespace-nowrap">
                        <span className="inline-block w-9 text-muted-foreground">
                          {DAY_SHORT[day]}
                        </span>
                        {ranges.length
                          ? ranges.map((r) => `${r.start}–${r.end}`).join(', ')
                          : 'no calls'}
                      </li>
                    );
                  })}
                </ul>
              </TableCell>
              <TableCell className="text-sm">
                {rule.hours.sunday.length === 0
                  ? 'No calls on Sundays'
                  : `Sundays ${rule.hours.sunday.map((r) => `${r.start}–${r.end}`).join(', ')}`}
                {'; '}
                {rule.closedOnHolidays ? 'no calls on legal holidays' : 'holidays not closed'}
              </TableCell>
              <TableCell className="text-sm">
                {rule.callLimit ? capText(rule.callLimit) : '—'}
              </TableCell>
              <TableCell className="text-sm">
                <a className="underline" href={rule.link} target="_blank" rel="noreferrer">
                  {rule.citation}
                </a>
              </TableCell>
              <TableCell className="whitespace-nowrap text-sm">
                {rule.effectiveDate ?? 'not confirmed'}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}

function valuesOf(settings: Settings): ComplianceValues {
  return {
    everyZone: settings.everyZone,
    closedOnPublicHolidays: settings.closedOnPublicHolidays,
    frequencyCaps: settings.frequencyCaps.map((c) => ({ ...c })),
  };
}

function ComplianceSettingsForm({ settings, canEdit }: { settings: Settings; canEdit: boolean }) {
  const uid = useId();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<ComplianceValues>({
    resolver: zodResolver(ComplianceForm),
    defaultValues: valuesOf(settings),
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });

  const mutation = useMutation({
    mutationFn: (values: ComplianceValues) => updateSettings(values),
    onSuccess: (saved) => {
      queryClient.setQueryData(settingsKeys.settings, saved);
      void queryClient.invalidateQueries({ queryKey: ['campaigns'] });
      toast.success('Compliance settings saved');
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return setFormError(errorMessage(error));
      const rest: string[] = [];
      for (const problem of error.errors) {
        const path = problem.path.split('.');
        const [field, index, key] = path;
        if (
          field === 'frequencyCaps' &&
          index !== undefined &&
          (key === 'max' || key === 'periodHours')
        ) {
          form.setError(`frequencyCaps.${Number(index)}.${key}`, {
            type: 'server',
            message: problem.message,
          });
        } else rest.push(problem.message);
      }
      setFormError(rest.length ? rest.join(' ') : error.errors.length ? null : error.detail);
    },
  });

  const onSubmit = form.handleSubmit((values) => {
    setFormError(null);
    mutation.mutate(values);
  });

  const toggle = (
    name: 'everyZone' | 'closedOnPublicHolidays',
    label: React.ReactNode,
    hint: string,
  ) => (
    <div className="flex items-start gap-2.5">
      <Controller
        control={form.control}
        name={name}
        render={({ field }) => (
          <Checkbox
            id={`${uid}-${name}`}
            checked={field.value}
            disabled={!canEdit}
            onCheckedChange={(checked) => field.onChange(checked === true)}
            onBlur={field.onBlur}
            className="mt-0.5"
            aria-describedby={`${uid}-${name}-hint`}
          />
        )}
      />
      <div className="grid gap-1">
        <Label htmlFor={`${uid}-${name}`}>{label}</Label>
        <p id={`${uid}-${name}-hint`} className="text-muted-foreground text-xs">
          {hint}
        </p>
      </div>
    </div>
  );

  return (
    <form noValidate className="grid gap-5" aria-busy={mutation.isPending} onSubmit={onSubmit}>
      <FormError message={formError} />
      {toggle(
        'everyZone',
        <>
          Every zone <span className="font-normal text-muted-foreground">(recommended)</span>
        </>,
        'Calls and SMS run only when it is calling time both in the contact’s time zone and in the zone of its phone’s area code, when those differ.',
      )}
      {toggle(
        'closedOnPublicHolidays',
        'Closed on public holidays',
        'No calls or SMS on the public holidays of the contact’s country and region. State rules that close legal holidays apply whatever this says; closed dates stay as they are.',
      )}
      <FrequencyCapsEditor
        form={form as unknown as UseFormReturn<FrequencyCapsValues>}
        canEdit={canEdit}
        hint="Per contact, over the attempts started in the rolling period across every follow-up of the workspace. A held follow-up waits until the cap allows. The customer override does not lift a cap. Regulation F (12 CFR 1006.14(b)(2)): 7 calls in 168 h."
        empty="No workspace caps. State limits (Florida, Oklahoma, Maryland) still apply."
      />
      {canEdit ? (
        <div>
          <Button type="submit" disabled={mutation.isPending}>
            {mutation.isPending ? 'Saving…' : 'Save changes'}
          </Button>
        </div>
      ) : (
        <p className="text-muted-foreground text-sm">Only admins can change these settings.</p>
      )}
    </form>
  );
}

export function ComplianceSettings({ canEdit }: { canEdit: boolean }) {
  const query = useQuery(settingsQuery);
  return (
    <div className="grid gap-6">
      <Alert variant="info" data-testid="not-legal-advice">
        <ScaleIcon aria-hidden="true" />
        <p>{NOT_LEGAL_ADVICE}</p>
      </Alert>
      <Card>
        <CardHeader>
          <div>
            <CardTitle>Workspace rules</CardTitle>
            <CardDescription>
              Frequency caps, every zone and public holidays, for every follow-up of the workspace.
              Campaigns may add their own.
            </CardDescription>
          </div>
        </CardHeader>
        <CardContent>
          {query.isPending ? (
            <div className="grid gap-4">
              <Skeleton className="h-9" />
              <Skeleton className="h-24" />
            </div>
          ) : query.isError ? (
            <ErrorState
              error={query.error}
              title="The settings could not be loaded"
              onRetry={() => query.refetch()}
            />
          ) : (
            <ComplianceSettingsForm
              key={query.data.updatedAt}
              settings={query.data}
              canEdit={canEdit}
            />
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <div>
            <CardTitle>State calling rules</CardTitle>
            <CardDescription>
              The table the engine applies, with the statute each row comes from.
            </CardDescription>
          </div>
        </CardHeader>
        <CardContent>
          <StateRulesTable />
        </CardContent>
      </Card>
    </div>
  );
}
