/**
 * A campaign's own compliance rules (docs/compliance.md): closed on public holidays (or the
 * workspace's setting) and its frequency caps, counted over the campaign's attempts — the
 * workspace's caps and the state rules apply too. Admins change them (PATCH
 * /api/campaigns/:id, only these two fields); everyone else reads them.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Controller, type UseFormReturn, useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { z } from 'zod';
import { FrequencyCapsInput } from '../../../../contracts/settings.contract.ts';
import { FormError } from '../../../components/form-refusal.tsx';
import {
  FrequencyCapsEditor,
  type FrequencyCapsValues,
} from '../../../components/frequency-caps-editor.tsx';
import { Button } from '../../../components/ui/button.tsx';
import {
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
} from '../../../components/ui/card.tsx';
import { describedBy, Field } from '../../../components/ui/field.tsx';
import { Select } from '../../../components/ui/select.tsx';
import { ApiError, errorMessage } from '../../../lib/api.ts';
import { type CampaignDetail, campaignKeys, updateCampaign } from '../api.ts';

const HOLIDAYS = { workspace: null, closed: true, open: false } as const;
type HolidayChoice = keyof typeof HOLIDAYS;
const HOLIDAY_OPTIONS: { value: HolidayChoice; label: string }[] = [
  { value: 'workspace', label: 'The workspace’s setting' },
  { value: 'closed', label: 'Closed on public holidays' },
  { value: 'open', label: 'Open on public holidays' },
];

/** The two fields this card sends, checked with the contracts' schemas. */
const FormSchema = z.object({
  holidays: z.enum(['workspace', 'closed', 'open']),
  frequencyCaps: FrequencyCapsInput,
});
type FormValues = z.infer<typeof FormSchema>;

function choiceOf(value: boolean | null): HolidayChoice {
  return value === null ? 'workspace' : value ? 'closed' : 'open';
}

export function CampaignComplianceForm({
  campaign,
  canEdit,
}: {
  campaign: CampaignDetail;
  canEdit: boolean;
}) {
  const uid = useId();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<FormValues>({
    resolver: zodResolver(FormSchema),
    defaultValues: {
      holidays: choiceOf(campaign.closedOnPublicHolidays),
      frequencyCaps: campaign.frequencyCaps.map((c) => ({ ...c })),
    },
  });
  const mutation = useMutation({
    mutationFn: (values: FormValues) =>
      updateCampaign(campaign.id, {
        closedOnPublicHolidays: HOLIDAYS[values.holidays],
        frequencyCaps: values.frequencyCaps,
      }),
    onSuccess: (updated) => {
      queryClient.setQueryData(campaignKeys.detail(campaign.id), updated);
      void queryClient.invalidateQueries({ queryKey: ['follow-ups', 'list'] });
      toast.success('Compliance rules saved');
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return setFormError(errorMessage(error));
      const rest: string[] = [];
      for (const problem of error.errors) {
        const [field, index, key] = problem.path.split('.');
        if (field === 'frequencyCaps' && (key === 'max' || key === 'periodHours')) {
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
  const holidaysId = `${uid}-holidays`;
  return (
    <Card aria-labelledby={`${uid}-title`} data-testid="campaign-compliance">
      <CardHeader>
        <div className="grid gap-1">
          <CardTitle id={`${uid}-title`}>Compliance</CardTitle>
          <CardDescription>
            This campaign’s own holidays and caps. The workspace’s caps and the state rules
            (Settings › Compliance) apply too. This is not legal advice.
          </CardDescription>
        </div>
      </CardHeader>
      <CardContent>
        <form noValidate className="grid gap-5" aria-busy={mutation.isPending} onSubmit={onSubmit}>
          <FormError message={formError} />
          <Field
            id={holidaysId}
            label="Public holidays"
            hint="The public holidays of the regions each contact may be in."
          >
            <Controller
              control={form.control}
              name="holidays"
              render={({ field }) => (
                <Select
                  id={holidaysId}
                  value={field.value}
                  onValueChange={field.onChange}
                  options={HOLIDAY_OPTIONS}
                  disabled={!canEdit}
                  describedBy={describedBy(holidaysId, { hint: true })}
                  className="max-w-xs"
                />
              )}
            />
          </Field>
          <FrequencyCapsEditor
            form={form as unknown as UseFormReturn<FrequencyCapsValues>}
            canEdit={canEdit}
            hint="Per contact, over this campaign’s attempts started in the rolling period. The customer override does not lift a cap."
            empty="No caps of its own: the workspace’s caps and the state limits apply."
          />
          {canEdit ? (
            <div>
              <Button type="submit" disabled={mutation.isPending}>
                {mutation.isPending ? 'Saving…' : 'Save compliance rules'}
              </Button>
            </div>
          ) : null}
        </form>
      </CardContent>
    </Card>
  );
}
