/**
 * "New campaign" on /campaigns: a name, an agent and a time zone; the campaign starts as a
 * draft with the workspace's calling windows, and its page opens to set the rest.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useId, useState } from 'react';
import { toast } from 'sonner';
import { FormError } from '../../../components/form-refusal.tsx';
import { TimeZonePicker } from '../../../components/time-zone-picker.tsx';
import { Button } from '../../../components/ui/button.tsx';
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '../../../components/ui/dialog.tsx';
import { describedBy, Field } from '../../../components/ui/field.tsx';
import { Input } from '../../../components/ui/input.tsx';
import { Select } from '../../../components/ui/select.tsx';
import { ApiError, errorMessage } from '../../../lib/api.ts';
import { campaignKeys, createCampaign } from '../api.ts';
import { NO_AGENT, useAgentOptions } from './agent-options.ts';

type FieldName = 'name' | 'agentId' | 'timezone';

function NewCampaignForm({ onDone }: { onDone: () => void }) {
  const uid = useId();
  const fid = (name: FieldName) => `${uid}-${name}`;
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [agentId, setAgentId] = useState(NO_AGENT);
  const [timezone, setTimezone] = useState('');
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const agentOptions = useAgentOptions();

  const mutation = useMutation({
    mutationFn: createCampaign,
    onSuccess: async (campaign) => {
      toast.success('Campaign created', { description: `${campaign.name}, as a draft` });
      onDone();
      await queryClient.invalidateQueries({ queryKey: campaignKeys.all });
      await navigate({ to: '/campaigns/$id', params: { id: campaign.id } });
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return setFormError(errorMessage(error));
      const next: Partial<Record<FieldName, string>> = {};
      const rest: string[] = [];
      for (const problem of error.errors) {
        const field = problem.path.split('.')[0] as FieldName;
        if (field === 'name' || field === 'agentId' || field === 'timezone') {
          next[field] ??= problem.message;
        } else rest.push(problem.message);
      }
      setErrors(next);
      setFormError(rest.length ? rest.join(' ') : error.errors.length ? null : error.detail);
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    if (!name.trim()) {
      setErrors({ name: 'Give the campaign a name.' });
      document.getElementById(fid('name'))?.focus();
      return;
    }
    setErrors({});
    mutation.mutate({
      name: name.trim(),
      agentId: agentId === NO_AGENT ? null : agentId,
      timezone: timezone || null,
    });
  };

  return (
    <form noValidate onSubmit={onSubmit} className="grid gap-4" aria-busy={mutation.isPending}>
      <FormError message={formError} />
      <Field id={fid('name')} label="Name" error={errors.name}>
        <Input
          id={fid('name')}
          value={name}
          maxLength={100}
          autoComplete="off"
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={describedBy(fid('name'), { error: !!errors.name })}
          onChange={(e) => {
            setName(e.target.value);
            if (errors.name) setErrors(({ name: _, ...rest }) => rest);
          }}
        />
      </Field>
      <Field
        id={fid('agentId')}
        label="Agent"
        error={errors.agentId}
        hint="Places its calls unless a follow-up names another agent."
      >
        <Select
          id={fid('agentId')}
          value={agentId}
          onValueChange={setAgentId}
          options={agentOptions}
          invalid={!!errors.agentId}
          describedBy={describedBy(fid('agentId'), { hint: true, error: !!errors.agentId })}
        />
      </Field>
      <Field id={fid('timezone')} label="Time zone" error={errors.timezone}>
        <TimeZonePicker
          id={fid('timezone')}
          value={timezone}
          onChange={setTimezone}
          emptyLabel="Each contact's own"
          invalid={!!errors.timezone}
          describedBy={describedBy(fid('timezone'), { error: !!errors.timezone })}
        />
      </Field>
      <DialogFooter className="pt-1">
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button type="submit" disabled={mutation.isPending}>
          {mutation.isPending ? 'Creating…' : 'Create campaign'}
        </Button>
      </DialogFooter>
    </form>
  );
}

export function NewCampaignDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>New campaign</DialogTitle>
          <DialogDescription>
            It starts as a draft with the workspace's calling windows; set the rest on its page.
          </DialogDescription>
        </DialogHeader>
        {open ? <NewCampaignForm onDone={() => onOpenChange(false)} /> : null}
      </DialogContent>
    </Dialog>
  );
}
