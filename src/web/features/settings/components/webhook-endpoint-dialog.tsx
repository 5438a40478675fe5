/**
 * Add or edit a webhook endpoint: URL, description, default, active. A new endpoint's signing
 * secret is shown once after it is created.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { toast } from 'sonner';
import type { z } from 'zod';
import { CreateWebhookEndpointBody } from '../../../../contracts/webhook-endpoints.contract.ts';
import { FormError, showRefusal } from '../../../components/form-refusal.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { Checkbox } from '../../../components/ui/checkbox.tsx';
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
import { Label } from '../../../components/ui/label.tsx';
import {
  createEndpoint,
  type NewWebhookEndpoint,
  settingsKeys,
  updateEndpoint,
  type WebhookEndpoint,
} from '../api.ts';
import { SecretOnce } from './secret-once.tsx';

const FIELDS = ['url', 'description', 'isDefault', 'active'] as const;
type FieldName = (typeof FIELDS)[number];
type FormInput = z.input<typeof CreateWebhookEndpointBody>;
type FormOutput = z.output<typeof CreateWebhookEndpointBody>;

function EndpointForm({
  endpoint,
  onSaved,
}: {
  endpoint: WebhookEndpoint | null;
  onSaved: (created: NewWebhookEndpoint | null) => void;
}) {
  const uid = useId();
  const fid = (name: FieldName) => `${uid}-${name}`;
  const queryClient = useQueryClient();
  const form = useForm<FormInput, unknown, FormOutput>({
    resolver: zodResolver(CreateWebhookEndpointBody),
    defaultValues: {
      url: endpoint?.url ?? '',
      description: endpoint?.description ?? '',
      isDefault: endpoint?.isDefault ?? false,
      active: endpoint?.active ?? true,
    },
  });
  const { errors } = form.formState;
  const mutation = useMutation({
    mutationFn: async (values: FormOutput) => {
      // An empty description is no description.
      const body = { ...values, description: values.description || null };
      if (!endpoint) return createEndpoint(body);
      await updateEndpoint(endpoint.id, body);
      return null;
    },
    onSuccess: async (created) => {
      onSaved(created);
      if (!created) toast.success('Webhook endpoint saved');
      await queryClient.invalidateQueries({ queryKey: settingsKeys.endpoints });
    },
    onError: (error) => showRefusal(form, FIELDS, error, fid),
  });
  return (
    <form
      noValidate
      className="grid gap-4"
      aria-busy={mutation.isPending}
      onSubmit={form.handleSubmit((values) => mutation.mutate(values))}
    >
      <FormError message={errors.root?.message} />
      <Field
        id={fid('url')}
        label="URL"
        error={errors.url?.message}
        hint="https, or http to this machine (localhost) for development."
      >
        <Input
          id={fid('url')}
          type="url"
          maxLength={2048}
          placeholder="https://example.com/hooks/followthrough"
          autoComplete="off"
          aria-invalid={errors.url ? true : undefined}
          aria-describedby={describedBy(fid('url'), { hint: true, error: !!errors.url })}
          {...form.register('url')}
        />
      </Field>
      <Field
        id={fid('description')}
        label="Description (optional)"
        error={errors.description?.message}
      >
        <Input
          id={fid('description')}
          maxLength={500}
          placeholder="e.g. CRM sync"
          aria-invalid={errors.description ? true : undefined}
          aria-describedby={describedBy(fid('description'), { error: !!errors.description })}
          {...form.register('description')}
        />
      </Field>
      <div className="grid gap-1">
        <div className="flex items-center gap-2">
          <Controller
            control={form.control}
            name="isDefault"
            render={({ field }) => (
              <Checkbox
                id={fid('isDefault')}
                checked={field.value ?? false}
                onCheckedChange={(v) => field.onChange(v === true)}
              />
            )}
          />
          <Label htmlFor={fid('isDefault')}>Default: webhook follow-ups are delivered here</Label>
        </div>
        {errors.isDefault ? (
          <p className="font-medium text-destructive text-xs" role="alert">
            {errors.isDefault.message}
          </p>
        ) : null}
      </div>
      <div className="flex items-center gap-2">
        <Controller
          control={form.control}
          name="active"
          render={({ field }) => (
            <Checkbox
              id={fid('active')}
              checked={field.value ?? true}
              onCheckedChange={(v) => field.onChange(v === true)}
            />
          )}
        />
        <Label htmlFor={fid('active')}>Active</Label>
      </div>
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button type="submit" disabled={mutation.isPending}>
          {mutation.isPending ? 'Saving…' : endpoint ? 'Save' : 'Add endpoint'}
        </Button>
      </DialogFooter>
    </form>
  );
}

/** `endpoint` null: add a new one; otherwise edit it. */
export function WebhookEndpointDialog({
  open,
  endpoint,
  onOpenChange,
}: {
  open: boolean;
  endpoint: WebhookEndpoint | null;
  onOpenChange: (open: boolean) => void;
}) {
  const [created, setCreated] = useState<NewWebhookEndpoint | null>(null);
  const close = (next: boolean) => {
    if (!next) setCreated(null);
    onOpenChange(next);
  };
  return (
    <Dialog open={open} onOpenChange={close}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>
            {created
              ? 'Webhook endpoint added'
              : endpoint
                ? 'Edit webhook endpoint'
                : 'Add webhook endpoint'}
          </DialogTitle>
          <DialogDescription>
            {created
              ? `Requests to ${created.url} are signed with this secret (Standard Webhooks): verify them with it.`
              : 'Webhook follow-ups are POSTed to the default active endpoint, signed with its secret.'}
          </DialogDescription>
        </DialogHeader>
        {created ? (
          <>
            <SecretOnce label="Signing secret" value={created.secret} />
            <DialogFooter>
              <DialogClose asChild>
                <Button>Done</Button>
              </DialogClose>
            </DialogFooter>
          </>
        ) : open ? (
          <EndpointForm
            endpoint={endpoint}
            onSaved={(result) => (result ? setCreated(result) : close(false))}
          />
        ) : null}
      </DialogContent>
    </Dialog>
  );
}

/** A rotated endpoint's new secret, shown once. */
export function NewSecretDialog({
  endpoint,
  onOpenChange,
}: {
  endpoint: NewWebhookEndpoint | null;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Dialog open={endpoint !== null} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>New signing secret</DialogTitle>
          <DialogDescription>
            Requests to {endpoint?.url} are signed with this secret from now on; the old one no
            longer signs anything.
          </DialogDescription>
        </DialogHeader>
        {endpoint ? <SecretOnce label="Signing secret" value={endpoint.secret} /> : null}
        <DialogFooter>
          <DialogClose asChild>
            <Button>Done</Button>
          </DialogClose>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
