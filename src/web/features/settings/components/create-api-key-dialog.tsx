/** "Create API key": a name and a role; then the key, shown once. */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { Controller, useForm } from 'react-hook-form';
import type { z } from 'zod';
import { CreateApiKeyBody } from '../../../../contracts/auth.contract.ts';
import { FormError, showRefusal } from '../../../components/form-refusal.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { DialogClose, DialogFooter } from '../../../components/ui/dialog.tsx';
import { describedBy, Field } from '../../../components/ui/field.tsx';
import { Input } from '../../../components/ui/input.tsx';
import { Select } from '../../../components/ui/select.tsx';
import { createApiKey, type NewApiKey, ROLE_OPTIONS, settingsKeys } from '../api.ts';
import { CreateThenSecretDialog } from './secret-once.tsx';

const FIELDS = ['name', 'role'] as const;
type FieldName = (typeof FIELDS)[number];
type FormInput = z.input<typeof CreateApiKeyBody>;
type FormOutput = z.output<typeof CreateApiKeyBody>;

function CreateKeyForm({ onCreated }: { onCreated: (key: NewApiKey) => void }) {
  const uid = useId();
  const fid = (name: FieldName) => `${uid}-${name}`;
  const queryClient = useQueryClient();
  const form = useForm<FormInput, unknown, FormOutput>({
    resolver: zodResolver(CreateApiKeyBody),
    defaultValues: { name: '', role: 'operator' },
  });
  const { errors } = form.formState;
  const mutation = useMutation({
    mutationFn: (body: FormOutput) => createApiKey(body),
    onSuccess: async (key) => {
      onCreated(key);
      await queryClient.invalidateQueries({ queryKey: settingsKeys.apiKeys });
    },
    onError: (error) => showRefusal(form, FIELDS, error, fid),
  });
  return (
    <form
      noValidate
      className="grid gap-4"
      aria-busy={mutation.isPending}
      onSubmit={form.handleSubmit((body) => mutation.mutate(body))}
    >
      <FormError message={errors.root?.message} />
      <Field
        id={fid('name')}
        label="Name"
        error={errors.name?.message}
        hint="Say what uses it, e.g. “CRM sync”."
      >
        <Input
          id={fid('name')}
          maxLength={100}
          autoComplete="off"
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={describedBy(fid('name'), { hint: true, error: !!errors.name })}
          {...form.register('name')}
        />
      </Field>
      <Field id={fid('role')} label="Role" error={errors.role?.message}>
        <Controller
          control={form.control}
          name="role"
          render={({ field }) => (
            <Select
              id={fid('role')}
              value={field.value}
              onValueChange={field.onChange}
              options={ROLE_OPTIONS}
              invalid={!!errors.role}
              describedBy={describedBy(fid('role'), { error: !!errors.role })}
            />
          )}
        />
      </Field>
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button type="submit" disabled={mutation.isPending}>
          {mutation.isPending ? 'Creating…' : 'Create key'}
        </Button>
      </DialogFooter>
    </form>
  );
}

export function CreateApiKeyDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <CreateThenSecretDialog<NewApiKey>
      open={open}
      onOpenChange={onOpenChange}
      title={(created) => (created ? `API key “${created.name}” created` : 'Create API key')}
      description={(created) =>
        created
          ? 'Send it as “Authorization: Bearer <key>”.'
          : 'Scripts and integrations call the API with a key; it acts with the role you choose.'
      }
      secret={(created) => ({ label: 'API key', value: created.key })}
      form={(onCreated) => <CreateKeyForm onCreated={onCreated} />}
    />
  );
}
