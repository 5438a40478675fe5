/** "Invite user": name, email and role; then the new user's one-time password, shown once. */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { Controller, useForm } from 'react-hook-form';
import type { z } from 'zod';
import { CreateUserBody } from '../../../../contracts/users.contract.ts';
import { FormError, showRefusal } from '../../../components/form-refusal.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { DialogClose, DialogFooter } from '../../../components/ui/dialog.tsx';
import { describedBy, Field } from '../../../components/ui/field.tsx';
import { Input } from '../../../components/ui/input.tsx';
import { Select } from '../../../components/ui/select.tsx';
import { type CreatedUser, createUser, ROLE_OPTIONS, settingsKeys } from '../api.ts';
import { CreateThenSecretDialog } from './secret-once.tsx';

const FIELDS = ['name', 'email', 'role'] as const;
type FieldName = (typeof FIELDS)[number];
type FormInput = z.input<typeof CreateUserBody>;
type FormOutput = z.output<typeof CreateUserBody>;

function InviteForm({ onCreated }: { onCreated: (user: CreatedUser) => void }) {
  const uid = useId();
  const fid = (name: FieldName) => `${uid}-${name}`;
  const queryClient = useQueryClient();
  const form = useForm<FormInput, unknown, FormOutput>({
    resolver: zodResolver(CreateUserBody),
    defaultValues: { name: '', email: '', role: 'operator' },
  });
  const { errors } = form.formState;
  const mutation = useMutation({
    mutationFn: (body: FormOutput) => createUser(body),
    onSuccess: async (user) => {
      onCreated(user);
      await queryClient.invalidateQueries({ queryKey: settingsKeys.users });
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
      <Field id={fid('email')} label="Email" error={errors.email?.message}>
        <Input
          id={fid('email')}
          type="email"
          maxLength={320}
          autoComplete="off"
          aria-invalid={errors.email ? true : undefined}
          aria-describedby={describedBy(fid('email'), { error: !!errors.email })}
          {...form.register('email')}
        />
      </Field>
      <Field
        id={fid('role')}
        label="Role"
        error={errors.role?.message}
        hint="Viewers read; operators work on follow-ups and contacts; admins also run settings."
      >
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
              describedBy={describedBy(fid('role'), { hint: true, error: !!errors.role })}
            />
          )}
        />
      </Field>
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button type="submit" disabled={mutation.isPending}>
          {mutation.isPending ? 'Inviting…' : 'Invite'}
        </Button>
      </DialogFooter>
    </form>
  );
}

export function InviteUserDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <CreateThenSecretDialog<CreatedUser>
      open={open}
      onOpenChange={onOpenChange}
      title={(created) => (created ? `${created.name} can sign in` : 'Invite user')}
      description={(created) =>
        created
          ? `Give ${created.email} this password for their first sign-in, where they choose their own.`
          : 'The new user signs in with their email and a one-time password shown next.'
      }
      secret={(created) => ({ label: 'One-time password', value: created.oneTimePassword })}
      form={(onCreated) => <InviteForm onCreated={onCreated} />}
    />
  );
}
