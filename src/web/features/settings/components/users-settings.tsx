/** "Users" (admin): who can sign in, their role, and whether they still can. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { UserPlusIcon, UsersIcon } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import type { Role } from '../../../../core/roles.ts';
import { ErrorState } from '../../../components/error-state.tsx';
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
import { EmptyState } from '../../../components/ui/empty-state.tsx';
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
import { errorMessage } from '../../../lib/api.ts';
import { formatDateTime } from '../../../lib/format.ts';
import { useMe } from '../../../lib/session.ts';
import { ROLE_OPTIONS, settingsKeys, type User, updateUser, usersQuery } from '../api.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { InviteUserDialog } from './invite-user-dialog.tsx';
import { ResetPasswordDialog } from './reset-password-dialog.tsx';

function useUserChange() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, ...body }: { id: string; role?: Role; active?: boolean }) =>
      updateUser(id, body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: settingsKeys.users });
    },
  });
}

/** The parts of a user's row, laid out as a table row or, on narrow screens, a block. */
function useUserCells(onDeactivate: (user: User) => void, onReset: (user: User) => void) {
  const me = useMe().data;
  const change = useUserChange();
  const setRole = (user: User, role: Role) =>
    change.mutate(
      { id: user.id, role },
      {
        onSuccess: () =>
          toast.success(`${user.name} is now ${role === 'admin' ? 'an' : 'a'} ${role}`),
        onError: (error) =>
          toast.error('The role was not changed', { description: errorMessage(error) }),
      },
    );
  const reactivate = (user: User) =>
    change.mutate(
      { id: user.id, active: true },
      {
        onSuccess: () => toast.success(`${user.name} can sign in again`),
        onError: (error) => toast.error('Not reactivated', { description: errorMessage(error) }),
      },
    );
  return {
    name: (user: User) => (
      <>
        {user.name}
        {me?.user?.id === user.id ? <span className="text-muted-foreground"> (you)</span> : null}
      </>
    ),
    role: (user: User) => (
      <Select
        ariaLabel={`Role of ${user.name}`}
        value={user.role}
        onValueChange={(role) => setRole(user, role as Role)}
        options={ROLE_OPTIONS}
        disabled={change.isPending}
        className="h-8 w-32"
      />
    ),
    status: (user: User) =>
      user.active ? (
        <Badge variant="secondary">
          {user.mustChangePassword ? 'Active · one-time password' : 'Active'}
        </Badge>
      ) : (
        <Badge variant="outline">Deactivated</Badge>
      ),
    action: (user: User) =>
      user.active ? (
        <span className="inline-flex flex-wrap justify-end gap-2">
          <Button variant="outline" size="sm" onClick={() => onReset(user)}>
            Reset password<span className="sr-only"> of {user.name}</span>
          </Button>
          <Button variant="outline" size="sm" onClick={() => onDeactivate(user)}>
            Deactivate<span className="sr-only"> {user.name}</span>
          </Button>
        </span>
      ) : (
        <Button
          variant="outline"
          size="sm"
          disabled={change.isPending}
          onClick={() => reactivate(user)}
        >
          Reactivate<span className="sr-only"> {user.name}</span>
        </Button>
      ),
  };
}

function UsersList({
  rows,
  onDeactivate,
  onReset,
}: {
  rows: User[];
  onDeactivate: (user: User) => void;
  onReset: (user: User) => void;
}) {
  const cell = useUserCells(onDeactivate, onReset);
  return (
    <>
      {/* Narrow screens: one block per user, the role and the action in reach. */}
      <ul className="grid divide-y sm:hidden" aria-label="Users">
        {rows.map((user) => (
          <li key={user.id} className="grid gap-2 py-3 first:pt-0">
            <div className="flex items-center justify-between gap-2">
              <span className="font-medium">{cell.name(user)}</span>
              {cell.status(user)}
            </div>
            <p className="text-muted-foreground text-sm">
              <span className="break-all">{user.email}</span> · added{' '}
              {formatDateTime(user.createdAt)}
            </p>
            <div className="flex items-center justify-between gap-2">
              {cell.role(user)}
              {cell.action(user)}
            </div>
          </li>
        ))}
      </ul>
      <div className="hidden sm:block">
        <Table label="Users">
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Email</TableHead>
              <TableHead>Role</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Created</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {rows.map((user) => (
              <TableRow key={user.id} data-user-email={user.email}>
                <TableCell className="font-medium">{cell.name(user)}</TableCell>
                <TableCell>{user.email}</TableCell>
                <TableCell>{cell.role(user)}</TableCell>
                <TableCell>{cell.status(user)}</TableCell>
                <TableCell className="whitespace-nowrap">
                  {formatDateTime(user.createdAt)}
                </TableCell>
                <TableCell className="text-right">{cell.action(user)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </div>
    </>
  );
}

export function UsersSettings() {
  const query = useQuery(usersQuery);
  const change = useUserChange();
  const [inviting, setInviting] = useState(false);
  const [deactivating, setDeactivating] = useState<User | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);
  const rows = query.data?.items ?? [];

  return (
    <Card>
      <CardHeader>
        <div>
          <CardTitle>Users</CardTitle>
          <CardDescription>People who sign in to this workspace, and their roles.</CardDescription>
        </div>
        <CardActions>
          <Button size="sm" onClick={() => setInviting(true)}>
            <UserPlusIcon aria-hidden="true" />
            Invite user
          </Button>
        </CardActions>
      </CardHeader>
      <CardContent>
        {query.isPending ? (
          <TableSkeleton rows={4} columns={6} />
        ) : query.isError ? (
          <ErrorState
            error={query.error}
            title="The users could not be loaded"
            onRetry={() => query.refetch()}
          />
        ) : rows.length === 0 ? (
          <EmptyState icon={UsersIcon} title="No users yet">
            Invite the people who work on follow-ups with “Invite user”.
          </EmptyState>
        ) : (
          <UsersList rows={rows} onDeactivate={setDeactivating} onReset={setResetting} />
        )}
      </CardContent>
      <InviteUserDialog open={inviting} onOpenChange={setInviting} />
      <ResetPasswordDialog user={resetting} onOpenChange={(open) => !open && setResetting(null)} />
      <ConfirmDialog
        open={deactivating !== null}
        onOpenChange={(open) => !open && setDeactivating(null)}
        title={`Deactivate ${deactivating?.name ?? 'this user'}?`}
        description="They are signed out everywhere at once and cannot sign in until reactivated. Their follow-ups and history stay."
        confirm="Deactivate"
        pending="Deactivating…"
        onConfirm={async () => {
          if (!deactivating) return;
          await change.mutateAsync({ id: deactivating.id, active: false });
          toast.success(`${deactivating.name} was deactivated`);
        }}
      />
    </Card>
  );
}
