/**
 * A campaign's settings for admins: name, agent, time zone, calling windows with closed dates,
 * outcome rules; "Save changes" checks them with the contract's schemas, then sends them all at
 * once (PATCH, all or nothing). What was typed stays on screen whatever the answer; every reason,
 * the form's or the server's, shows by its field.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AlertCircleIcon } from 'lucide-react';
import { useId } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { z } from 'zod';
import { CreateCampaignBody } from '../../../../contracts/campaigns.contract.ts';
import { CallingWindowInput, OutcomeRulesInput } from '../../../../contracts/settings.contract.ts';
import { CallingWindowEditor } from '../../../components/calling-window-editor.tsx';
import {
  type CallingWindowDraft,
  draftFromPolicy,
  policyFromDraft,
} from '../../../components/calling-window-model.ts';
import { problemsIn, showRefusal } from '../../../components/form-refusal.tsx';
import { OutcomeRulesEditor } from '../../../components/outcome-rules-editor.tsx';
import {
  checkRuleDrafts,
  draftsFromRules,
  type RuleDraft,
  rulesFromDrafts,
} from '../../../components/outcome-rules-model.ts';
import { TimeZonePicker } from '../../../components/time-zone-picker.tsx';
import { Alert } from '../../../components/ui/alert.tsx';
import { Button } from '../../../components/ui/button.tsx';
import {
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
} from '../../../components/ui/card.tsx';
import { describedBy, Field } from '../../../components/ui/field.tsx';
import { Input } from '../../../components/ui/input.tsx';
import { Select } from '../../../components/ui/select.tsx';
import { checkedBy, pathSegments } from '../../../lib/forms.ts';
import { type CampaignDetail, campaignKeys, updateCampaign } from '../api.ts';
import { AgentChoice, NO_AGENT, useAgentOptions, ZoneChoice } from './agent-options.ts';

const FIELDS = ['name', 'agentId', 'timezone', 'callingWindow', 'outcomeRules'] as const;
const MARKED = 'Nothing was saved: correct the fields marked above.';

/**
 * The form as edited (the editors' drafts, "no agent" and "each contact's zone" as choices), read
 * into the contract's campaign fields and checked by their schemas before anything is sent.
 */
const { name, agentId, timezone } = CreateCampaignBody.shape;
const CampaignSettingsSchema = z.object({
  name,
  agentId: AgentChoice.pipe(agentId.unwrap()),
  timezone: ZoneChoice.pipe(timezone.unwrap()),
  callingWindow: z
    .custom<CallingWindowDraft>()
    .transform((draft) => (draft.inherit ? null : policyFromDraft(draft)))
    .superRefine(checkedBy(CallingWindowInput.nullable())),
  outcomeRules: z
    .custom<RuleDraft[]>()
    .superRefine((drafts, ctx) => {
      for (const problem of checkRuleDrafts(drafts)) {
        ctx.addIssue({
          code: 'custom',
          message: problem.message,
          path: pathSegments(problem.path),
        });
      }
    })
    .transform((drafts) => rulesFromDrafts(drafts))
    .superRefine(checkedBy(OutcomeRulesInput)),
});
type FormInput = z.input<typeof CampaignSettingsSchema>;
type FormOutput = z.output<typeof CampaignSettingsSchema>;

export function CampaignSettingsForm({ campaign }: { campaign: CampaignDetail }) {
  const uid = useId();
  const fid = (name: string) => `${uid}-${name}`;
  const queryClient = useQueryClient();
  const agentOptions = useAgentOptions(campaign.agent);
  const form = useForm<FormInput, unknown, FormOutput>({
    resolver: zodResolver(CampaignSettingsSchema),
    defaultValues: {
      name: campaign.name,
      agentId: campaign.agent?.id ?? NO_AGENT,
      timezone: campaign.timezone ?? '',
      callingWindow: draftFromPolicy(campaign.callingWindow, campaign.effectiveCallingWindow),
      outcomeRules: draftsFromRules(campaign.outcomeRules),
    },
  });
  const { errors } = form.formState;

  const mutation = useMutation({
    mutationFn: (body: FormOutput) => updateCampaign(campaign.id, body),
    onSuccess: (updated) => {
      queryClient.setQueryData(campaignKeys.detail(campaign.id), updated);
      void queryClient.invalidateQueries({ queryKey: ['campaigns', 'list'] });
      // A new window changes when its follow-ups run, and why they wait.
      void queryClient.invalidateQueries({ queryKey: ['follow-ups', 'list'] });
      toast.success('Changes saved');
    },
    onError: (error) => showRefusal(form, FIELDS, error, fid, { byPath: true, marked: MARKED }),
  });

  const onSubmit = form.handleSubmit(
    (body) => mutation.mutate(body),
    (invalid) => {
      // The name's reason is enough by itself; the editors' sit far down the page.
      if (invalid.callingWindow || invalid.outcomeRules) {
        form.setError('root', { type: 'client', message: MARKED });
      }
    },
  );
  const formError = errors.root?.message;
  const nameError = errors.name?.message;
  const agentError = errors.agentId?.message;
  const zoneError = errors.timezone?.message;

  return (
    <form noValidate onSubmit={onSubmit} className="grid gap-5" aria-busy={mutation.isPending}>
      <Card aria-labelledby={fid('general')}>
        <CardHeader>
          <CardTitle id={fid('general')}>Settings</CardTitle>
        </CardHeader>
        <CardContent className="grid gap-4 md:grid-cols-3">
          <Field id={fid('name')} label="Name" error={nameError}>
            <Input
              id={fid('name')}
              maxLength={100}
              autoComplete="off"
              aria-invalid={nameError ? true : undefined}
              aria-describedby={describedBy(fid('name'), { error: !!nameError })}
              {...form.register('name')}
            />
          </Field>
          <Field id={fid('agent')} label="Agent" error={agentError}>
            <Controller
              control={form.control}
              name="agentId"
              render={({ field }) => (
                <Select
                  id={fid('agent')}
                  value={field.value}
                  onValueChange={field.onChange}
                  options={agentOptions}
                  invalid={!!agentError}
                  describedBy={describedBy(fid('agent'), { error: !!agentError })}
                />
              )}
            />
          </Field>
          <Field id={fid('timezone')} label="Time zone" error={zoneError}>
            <Controller
              control={form.control}
              name="timezone"
              render={({ field }) => (
                <TimeZonePicker
                  id={fid('timezone')}
                  value={field.value}
                  onChange={field.onChange}
                  emptyLabel="Each contact's own"
                  invalid={!!zoneError}
                  describedBy={describedBy(fid('timezone'), { error: !!zoneError })}
                />
              )}
            />
          </Field>
        </CardContent>
      </Card>

      <Card aria-labelledby={fid('windows')}>
        <CardHeader>
          <div className="grid gap-1">
            <CardTitle id={fid('windows')}>Calling windows</CardTitle>
            <CardDescription>When its calls and SMS may go out, per weekday.</CardDescription>
          </div>
        </CardHeader>
        <CardContent>
          <Controller
            control={form.control}
            name="callingWindow"
            render={({ field }) => (
              <CallingWindowEditor
                value={field.value}
                onChange={field.onChange}
                errors={problemsIn(errors.callingWindow)}
                allowInherit
              />
            )}
          />
        </CardContent>
      </Card>

      <Card aria-labelledby={fid('rules')}>
        <CardHeader>
          <div className="grid gap-1">
            <CardTitle id={fid('rules')}>Outcome rules</CardTitle>
            <CardDescription>
              What a call's outcome schedules next. A rule never adds a second open follow-up of the
              same type for the same contact.
            </CardDescription>
          </div>
        </CardHeader>
        <CardContent>
          <Controller
            control={form.control}
            name="outcomeRules"
            render={({ field }) => (
              <OutcomeRulesEditor
                value={field.value}
                onChange={field.onChange}
                errors={problemsIn(errors.outcomeRules)}
              />
            )}
          />
        </CardContent>
      </Card>

      <div className="flex flex-wrap items-center justify-end gap-3">
        {formError ? (
          <Alert variant="destructive" data-testid="form-error" className="mr-auto">
            <AlertCircleIcon aria-hidden="true" />
            <p>{formError}</p>
          </Alert>
        ) : null}
        <Button type="submit" disabled={mutation.isPending}>
          {mutation.isPending ? 'Saving…' : 'Save changes'}
        </Button>
      </div>
    </form>
  );
}
