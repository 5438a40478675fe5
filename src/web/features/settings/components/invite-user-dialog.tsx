/** "Invite user": name, email and role; then the new user's one-time password, shown once. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { Role } from '../../../../core/roles.ts';
import { FormError, useFormRefusal } from '../../../components/form-refusal.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { DialogClose, DialogFooter } from '../../../components/ui/dialog.tsx';
import { describedBy, Field } from '../../../components/ui/field.tsx';
import { Input } from '../../../components/ui/input.tsx';
import { Select } from '../../../components/ui/select.tsx';
import { type CreatedUser, createUser, ROLE_OPTIONS, settingsKeys } from '../api.ts';
import { CreateThenSecretDialog } from './secret-once.tsx';

const FIELDS = ['name', 'email', 'role'] as const;
type FieldName = (typeof FIELDS)[number];

function InviteForm({ onCreated }: { onCreated: (user: CreatedUser) => void }) {
  const uid = useId();
  const fid = (name: FieldName) => `${uid}-${name}`;
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const { errors, formError, clear, show } = useFormRefusal(FIELDS, fid);
  const mutation = useMutation({
    mutationFn: () => createUser({ name, email, role }),
    onSuccess: async (user) => {
      onCreated(user);
      await queryClient.invalidateQueries({ queryKey: settingsKeys.users });
    },
    onError: show,
  });
  return (
    <form
      noValidate
      className="grid gap-4"
      aria-busy={mutation.isPending}
      onSubmit={(event) => {
        event.preventDefault();
        clear();
        mutation.mutate();
      }}
    >
      <FormError message={formError} />
      <Field id={fid('name')} label="Name" error={errors.name}>
        <Input
          id={fid('name')}
          value={name}
          maxLength={100}
          autoComplete="off"
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={describedBy(fid('name'), { error: !!errors.name })}
          onChange={(e) => setName(e.target.value)}
        />
      </Field>
      <Field id={fid('email')} label="Email" error={errors.email}>
        <Input
          id={fid('email')}
          type="email"
          value={email}
          maxLength={320}
          autoComplete="off"
          aria-invalid={errors.email ? true : undefined}
          aria-describedby={describedBy(fid('email'), { error: !!errors.email })}
          onChange={(e) => setEmail(e.target.value)}
        />
      </Field>
      <Field
        id={fid('role')}
        label="Role"
        error={errors.role}
        hint="Viewers read; operators work on follow-ups and contacts; admins also run settings."
      >
        <Select
          id={fid('role')}
          value={role}
          onValueChange={(value) => setRole(value as Role)}
          options={ROLE_OPTIONS}
          invalid={!!errors.role}
          describedBy={describedBy(fid('role'), { hint: true, error: !!errors.role })}
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
