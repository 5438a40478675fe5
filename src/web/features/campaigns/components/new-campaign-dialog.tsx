/**
 * "New campaign" on /campaigns: a name, an agent and a time zone; the campaign starts as a
 * draft with the workspace's calling windows, and its page opens to set the rest.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useId } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { z } from 'zod';
import { CreateCampaignBody } from '../../../../contracts/campaigns.contract.ts';
import { FormError, showRefusal } from '../../../components/form-refusal.tsx';
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
import { campaignKeys, createCampaign } from '../api.ts';
import { AgentChoice, NO_AGENT, useAgentOptions, ZoneChoice } from './agent-options.ts';

const FIELDS = ['name', 'agentId', 'timezone'] as const;
type FieldName = (typeof FIELDS)[number];

/** The dialog's fields as chosen, read into the contract's CreateCampaignBody. */
const NewCampaignSchema = z.object({
  name: CreateCampaignBody.shape.name,
  agentId: AgentChoice.pipe(CreateCampaignBody.shape.agentId.unwrap()),
  timezone: ZoneChoice.pipe(CreateCampaignBody.shape.timezone.unwrap()),
});
type FormInput = z.input<typeof NewCampaignSchema>;
type FormOutput = z.output<typeof NewCampaignSchema>;

function NewCampaignForm({ onDone }: { onDone: () => void }) {
  const uid = useId();
  const fid = (name: FieldName) => `${uid}-${name}`;
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const agentOptions = useAgentOptions();
  const form = useForm<FormInput, unknown, FormOutput>({
    resolver: zodResolver(NewCampaignSchema),
    defaultValues: { name: '', agentId: NO_AGENT, timezone: '' },
  });
  const { errors } = form.formState;

  const mutation = useMutation({
    mutationFn: createCampaign,
    onSuccess: async (campaign) => {
      toast.success('Campaign created', { description: `${campaign.name}, as a draft` });
      onDone();
      await queryClient.invalidateQueries({ queryKey: campaignKeys.all });
      await navigate({ to: '/campaigns/$id', params: { id: campaign.id } });
    },
    onError: (error) => showRefusal(form, FIELDS, error, fid),
  });

  return (
    <form
      noValidate
      onSubmit={form.handleSubmit((body) => mutation.mutate(body))}
      className="grid gap-4"
      aria-busy={mutation.isPending}
    >
      <FormError message={errors.root?.message} />
      <Field id={fid('name')} label="Name" error={errors.name?.message}>
        <Input
          id={fid('name')}
          maxLength={100}
          autoComplete="off"
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={describedBy(fid('name'), { error: !!errors.name })}
          {...form.register('name')}
        />
      </Field>
      <Field
        id={fid('agentId')}
        label="Agent"
        error={errors.agentId?.message}
        hint="Places its calls unless a follow-up names another agent."
      >
        <Controller
          control={form.control}
          name="agentId"
          render={({ field }) => (
            <Select
              id={fid('agentId')}
              value={field.value}
              onValueChange={field.onChange}
              options={agentOptions}
              invalid={!!errors.agentId}
              describedBy={describedBy(fid('agentId'), { hint: true, error: !!errors.agentId })}
            />
          )}
        />
      </Field>
      <Field id={fid('timezone')} label="Time zone" error={errors.timezone?.message}>
        <Controller
          control={form.control}
          name="timezone"
          render={({ field }) => (
            <TimeZonePicker
              id={fid('timezone')}
              value={field.value}
              onChange={field.onChange}
              emptyLabel="Each contact's own"
              invalid={!!errors.timezone}
              describedBy={describedBy(fid('timezone'), { error: !!errors.timezone })}
            />
          )}
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
