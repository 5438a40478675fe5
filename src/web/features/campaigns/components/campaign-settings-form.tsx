/**
 * A campaign's settings for admins: name, agent, time zone, calling windows with closed dates,
 * outcome rules; "Save changes" sends them all at once (PATCH, all or nothing). What was typed
 * stays on screen whatever the answer; the server's reasons show by their fields.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { AlertCircleIcon } from 'lucide-react';
import { type FormEvent, useId, useState } from 'react';
import { toast } from 'sonner';
import { CallingWindowEditor } from '../../../components/calling-window-editor.tsx';
import { draftFromPolicy, policyFromDraft } from '../../../components/calling-window-model.ts';
import { OutcomeRulesEditor } from '../../../components/outcome-rules-editor.tsx';
import {
  checkRuleDrafts,
  draftsFromRules,
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
import { ApiError, errorMessage, type FieldProblem, problemsUnder } from '../../../lib/api.ts';
import { type CampaignDetail, campaignKeys, updateCampaign } from '../api.ts';
import { NO_AGENT, useAgentOptions } from './agent-options.ts';

export function CampaignSettingsForm({ campaign }: { campaign: CampaignDetail }) {
  const uid = useId();
  const fid = (name: string) => `${uid}-${name}`;
  const queryClient = useQueryClient();
  const [name, setName] = useState(campaign.name);
  const [agentId, setAgentId] = useState(campaign.agent?.id ?? NO_AGENT);
  const [timezone, setTimezone] = useState(campaign.timezone ?? '');
  const [window, setWindow] = useState(() =>
    draftFromPolicy(campaign.callingWindow, campaign.effectiveCallingWindow),
  );
  const [rules, setRules] = useState(() => draftsFromRules(campaign.outcomeRules));
  const [errors, setErrors] = useState<FieldProblem[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const agentOptions = useAgentOptions(campaign.agent);

  const mutation = useMutation({
    mutationFn: () =>
      updateCampaign(campaign.id, {
        name: name.trim(),
        agentId: agentId === NO_AGENT ? null : agentId,
        timezone: timezone || null,
        callingWindow: window.inherit ? null : policyFromDraft(window),
        outcomeRules: rulesFromDrafts(rules),
      }),
    onSuccess: (updated) => {
      setErrors([]);
      setFormError(null);
      queryClient.setQueryData(campaignKeys.detail(campaign.id), updated);
      void queryClient.invalidateQueries({ queryKey: ['campaigns', 'list'] });
      // A new window changes when its follow-ups run, and why they wait.
      void queryClient.invalidateQueries({ queryKey: ['follow-ups', 'list'] });
      toast.success('Changes saved');
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return setFormError(errorMessage(error));
      setErrors(error.errors);
      const known = /^(name|agentId|timezone|callingWindow|outcomeRules)(\.|$)/;
      const rest = error.errors.filter((e) => !known.test(e.path)).map((e) => e.message);
      setFormError(
        error.errors.length === 0
          ? error.detail
          : rest.length
            ? rest.join(' ')
            : 'Nothing was saved: correct the fields marked above.',
      );
    },
  });

  const at = (path: string) => errors.find((e) => e.path === path)?.message;
  const nameError = at('name');
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    if (!name.trim()) {
      setErrors([{ path: 'name', message: 'Give the campaign a name.' }]);
      document.getElementById(fid('name'))?.focus();
      return;
    }
    const ruleProblems = checkRuleDrafts(rules).map((p) => ({
      ...p,
      path: `outcomeRules.${p.path}`,
    }));
    if (ruleProblems.length > 0) {
      setErrors(ruleProblems);
      setFormError('Nothing was saved: correct the fields marked above.');
      return;
    }
    mutation.mutate();
  };

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
              value={name}
              maxLength={100}
              autoComplete="off"
              aria-invalid={nameError ? true : undefined}
              aria-describedby={describedBy(fid('name'), { error: !!nameError })}
              onChange={(e) => {
                setName(e.target.value);
                if (nameError) setErrors((all) => all.filter((x) => x.path !== 'name'));
              }}
            />
          </Field>
          <Field id={fid('agent')} label="Agent" error={at('agentId')}>
            <Select
              id={fid('agent')}
              value={agentId}
              onValueChange={setAgentId}
              options={agentOptions}
              invalid={!!at('agentId')}
              describedBy={describedBy(fid('agent'), { error: !!at('agentId') })}
            />
          </Field>
          <Field id={fid('timezone')} label="Time zone" error={at('timezone')}>
            <TimeZonePicker
              id={fid('timezone')}
              value={timezone}
              onChange={setTimezone}
              emptyLabel="Each contact's own"
              invalid={!!at('timezone')}
              describedBy={describedBy(fid('timezone'), { error: !!at('timezone') })}
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
          <CallingWindowEditor
            value={window}
            onChange={setWindow}
            errors={problemsUnder(errors, 'callingWindow')}
            allowInherit
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
          <OutcomeRulesEditor
            value={rules}
            onChange={setRules}
            errors={problemsUnder(errors, 'outcomeRules')}
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
