/** "Reset password" (admin): a user who forgot theirs gets a one-time password, shown once. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { FormError } from '../../../components/form-refusal.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { DialogClose, DialogFooter } from '../../../components/ui/dialog.tsx';
import { errorMessage } from '../../../lib/api.ts';
import { type CreatedUser, resetUserPassword, settingsKeys, type User } from '../api.ts';
import { CreateThenSecretDialog } from './secret-once.tsx';

function ResetConfirm({ user, onReset }: { user: User; onReset: (reset: CreatedUser) => void }) {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => resetUserPassword(user.id),
    onSuccess: async (reset) => {
      onReset(reset);
      await queryClient.invalidateQueries({ queryKey: settingsKeys.users });
    },
  });
  return (
    <form
      className="grid gap-4"
      aria-busy={mutation.isPending}
      onSubmit={(event) => {
        event.preventDefault();
        mutation.mutate();
      }}
    >
      <FormError message={mutation.isError ? errorMessage(mutation.error) : null} />
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button type="submit" variant="destructive" disabled={mutation.isPending}>
          {mutation.isPending ? 'Resetting…' : 'Reset password'}
        </Button>
      </DialogFooter>
    </form>
  );
}

export function ResetPasswordDialog({
  user,
  onOpenChange,
}: {
  user: User | null;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <CreateThenSecretDialog<CreatedUser>
      open={user !== null}
      onOpenChange={onOpenChange}
      title={(reset) =>
        reset ? `New password for ${reset.name}` : `Reset the password of ${user?.name ?? ''}?`
      }
      description={(reset) =>
        reset
          ? `Give ${reset.email} this one-time password. They choose their own when they sign in with it.`
          : 'They are signed out everywhere, and their current password stops working. A one-time password is shown next.'
      }
      secret={(reset) => ({ label: 'One-time password', value: reset.oneTimePassword })}
      form={(onReset) => (user ? <ResetConfirm user={user} onReset={onReset} /> : null)}
    />
  );
}
