/** "API keys" (admin): keys for scripts and integrations; the secret is shown once. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AlertCircleIcon, KeyRoundIcon, PlusIcon } from 'lucide-react';
import { useId, useState } from 'react';
import { toast } from 'sonner';
import type { Role } from '../../../../core/roles.ts';
import { ErrorState } from '../../../components/error-state.tsx';
import { Alert } from '../../../components/ui/alert.tsx';
import { Badge } from '../../../components/ui/badge.tsx';
import { Button } from '../../../components/ui/button.tsx';
import {
  Card,
  CardActions,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
} from '../../../components/ui/card.tsx';
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '../../../components/ui/dialog.tsx';
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { describedBy, Field } from '../../../components/ui/field.tsx';
import { Input } from '../../../components/ui/input.tsx';
import { Select } from '../../../components/ui/select.tsx';
import { TableSkeleton } from '../../../components/ui/skeleton.tsx';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '../../../components/ui/table.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import {
  type ApiKey,
  apiKeysQuery,
  createApiKey,
  type NewApiKey,
  ROLE_OPTIONS,
  revokeApiKey,
  roleLabel,
  settingsKeys,
} from '../api.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { splitErrors } from './field-errors.ts';
import { SecretOnce } from './secret-once.tsx';

const FIELDS = ['name', 'role'] as const;
type FieldName = (typeof FIELDS)[number];

function CreateKeyForm({ onCreated }: { onCreated: (key: NewApiKey) => void }) {
  const uid = useId();
  const fid = (name: FieldName) => `${uid}-${name}`;
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: () => createApiKey({ name, role }),
    onSuccess: async (key) => {
      onCreated(key);
      await queryClient.invalidateQueries({ queryKey: settingsKeys.apiKeys });
    },
    onError: (error) => {
      const { byField, rest } = splitErrors(error, FIELDS);
      setErrors(byField);
      setFormError(rest);
      const first = FIELDS.find((f) => byField[f]);
      if (first) document.getElementById(fid(first))?.focus();
    },
  });
  return (
    <form
      noValidate
      className="grid gap-4"
      aria-busy={mutation.isPending}
      onSubmit={(event) => {
        event.preventDefault();
        setFormError(null);
        setErrors({});
        mutation.mutate();
      }}
    >
      {formError ? (
        <Alert variant="destructive" data-testid="form-error">
          <AlertCircleIcon aria-hidden="true" />
          <p>{formError}</p>
        </Alert>
      ) : null}
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

function CreateApiKeyDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const [created, setCreated] = useState<NewApiKey | null>(null);
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) setCreated(null);
        onOpenChange(next);
      }}
    >
      <DialogContent>
        <DialogHeader>
          <DialogTitle>
            {created ? `API key “${created.name}” created` : 'Create API key'}
          </DialogTitle>
          <DialogDescription>
            {created
              ? 'Send it as “Authorization: Bearer <key>”.'
              : 'Scripts and integrations call the API with a key; it acts with the role you choose.'}
          </DialogDescription>
        </DialogHeader>
        {created ? (
          <>
            <SecretOnce label="API key" value={created.key} />
            <DialogFooter>
              <DialogClose asChild>
                <Button>Done</Button>
              </DialogClose>
            </DialogFooter>
          </>
        ) : open ? (
          <CreateKeyForm onCreated={setCreated} />
        ) : null}
      </DialogContent>
    </Dialog>
  );
}

export function ApiKeysSettings() {
  const query = useQuery(apiKeysQuery);
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const rows = query.data?.items ?? [];
  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>API keys</CardTitle>
          <CardDescription>
            For scripts and integrations; see the API reference at /docs.
          </CardDescription>
        </div>
        <CardActions>
          <Button size="sm" onClick={() => setCreating(true)}>
            <PlusIcon aria-hidden="true" />
            Create API key
          </Button>
        </CardActions>
      </CardHeader>
      <CardContent>
        {query.isPending ? (
          <TableSkeleton rows={3} columns={7} />
        ) : query.isError ? (
          <ErrorState
            error={query.error}
            title="The API keys could not be loaded"
            onRetry={() => query.refetch()}
          />
        ) : rows.length === 0 ? (
          <EmptyState icon={KeyRoundIcon} title="No API keys">
            Create one with “Create API key” to call the API from a script or another system.
          </EmptyState>
        ) : (
          <Table label="API keys">
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Role</TableHead>
                <TableHead>Prefix</TableHead>
                <TableHead>Created</TableHead>
                <TableHead>Last used</TableHead>
                <TableHead>Revoked</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((key) => (
                <TableRow key={key.id} data-api-key={key.name}>
                  <TableCell className="font-medium">{key.name}</TableCell>
                  <TableCell>{roleLabel(key.role)}</TableCell>
                  <TableCell className="font-mono text-xs">{key.prefix}…</TableCell>
                  <TableCell className="whitespace-nowrap">
                    {formatDateTime(key.createdAt)}
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    {key.lastUsedAt ? formatDateTime(key.lastUsedAt) : 'Never'}
                  </TableCell>
                  <TableCell className="whitespace-nowrap">
                    {key.revokedAt ? (
                      <Badge variant="outline">Revoked {formatDateTime(key.revokedAt)}</Badge>
                    ) : (
                      '—'
                    )}
                  </TableCell>
                  <TableCell className="text-right">
                    {key.revokedAt ? null : (
                      <Button variant="outline" size="sm" onClick={() => setRevoking(key)}>
                        Revoke<span className="sr-only"> {key.name}</span>
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
      <CreateApiKeyDialog open={creating} onOpenChange={setCreating} />
      <ConfirmDialog
        open={revoking !== null}
        onOpenChange={(open) => !open && setRevoking(null)}
        title={`Revoke “${revoking?.name ?? ''}”?`}
        description="Requests with this key are refused from now on. This cannot be undone: create a new key if it is needed again."
        confirm="Revoke"
        pending="Revoking…"
        onConfirm={async () => {
          if (!revoking) return;
          await revokeApiKey(revoking.id);
          await queryClient.invalidateQueries({ queryKey: settingsKeys.apiKeys });
          toast.success(`“${revoking.name}” was revoked`);
        }}
      />
    </Card>
  );
}
