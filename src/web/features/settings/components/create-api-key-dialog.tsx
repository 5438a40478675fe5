/** "Create API key": a name and a role; then the key, shown once. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { Role } from '../../../../core/roles.ts';
import { FormError, useFormRefusal } from '../../../components/form-refusal.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { DialogClose, DialogFooter } from '../../../components/ui/dialog.tsx';
import { describedBy, Field } from '../../../components/ui/field.tsx';
import { Input } from '../../../components/ui/input.tsx';
import { Select } from '../../../components/ui/select.tsx';
import { createApiKey, type NewApiKey, ROLE_OPTIONS, settingsKeys } from '../api.ts';
import { CreateThenSecretDialog } from './secret-once.tsx';

const FIELDS = ['name', 'role'] as const;
type FieldName = (typeof FIELDS)[number];

function CreateKeyForm({ onCreated }: { onCreated: (key: NewApiKey) => void }) {
  const uid = useId();
  const fid = (name: FieldName) => `${uid}-${name}`;
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const { errors, formError, clear, show } = useFormRefusal(FIELDS, fid);
  const mutation = useMutation({
    mutationFn: () => createApiKey({ name, role }),
    onSuccess: async (key) => {
      onCreated(key);
      await queryClient.invalidateQueries({ queryKey: settingsKeys.apiKeys });
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
      <Field
        id={fid('name')}
        label="Name"
        error={errors.name}
        hint="Say what uses it, e.g. “CRM sync”."
      >
        <Input
          id={fid('name')}
          value={name}
          maxLength={100}
          autoComplete="off"
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={describedBy(fid('name'), { hint: true, error: !!errors.name })}
          onChange={(e) => setName(e.target.value)}
        />
      </Field>
      <Field id={fid('role')} label="Role" error={errors.role}>
        <Select
          id={fid('role')}
          value={role}
          onValueChange={(value) => setRole(value as Role)}
          options={ROLE_OPTIONS}
          invalid={!!errors.role}
          describedBy={describedBy(fid('role'), { error: !!errors.role })}
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
