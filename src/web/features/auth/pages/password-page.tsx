/**
 * Choosing a password. After signing in with a one-time password (invited, or reset by an
 * admin) nothing else opens until the person has chosen their own; anyone signed in may also
 * come here from the sidebar. Their other sessions are signed out by the change.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { getRouteApi, Link, useRouter } from '@tanstack/react-router';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { z } from 'zod';
import { ChangePasswordBody, MIN_PASSWORD_LENGTH } from '../../../../contracts/auth.contract.ts';
import { FormError, splitErrors } from '../../../components/form-refusal.tsx';
import { Logo } from '../../../components/logo.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { describedBy, Field } from '../../../components/ui/field.tsx';
import { Input } from '../../../components/ui/input.tsx';
import { type Me, meQuery, useMe } from '../../../lib/session.ts';
import { changePassword, safeRedirect } from '../api.ts';

const route = getRouteApi('/password');

const PasswordForm = ChangePasswordBody.extend({ confirmPassword: z.string() }).refine(
  (v) => v.confirmPassword === v.newPassword,
  { path: ['confirmPassword'], message: 'The two new passwords are not the same.' },
);
type PasswordValues = z.infer<typeof PasswordForm>;
const FIELDS = ['currentPassword', 'newPassword', 'confirmPassword'] as const;

export function PasswordPage() {
  const { redirect } = route.useSearch();
  const router = useRouter();
  const queryClient = useQueryClient();
  const me = useMe().data;
  const forced = me?.user?.mustChangePassword ?? false;
  const form = useForm<PasswordValues>({
    resolver: zodResolver(PasswordForm),
    defaultValues: { currentPassword: '', newPassword: '', confirmPassword: '' },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async ({ currentPassword, newPassword }) => {
    try {
      await changePassword({ currentPassword, newPassword });
      queryClient.setQueryData<Me>(meQuery.queryKey, (old) =>
        old?.user ? { ...old, user: { ...old.user, mustChangePassword: false } } : old,
      );
      toast.success('Your password was changed');
      router.history.replace(safeRedirect(redirect));
    } catch (error) {
      const { byField, rest } = splitErrors(error, FIELDS);
      for (const field of FIELDS) {
        const message = byField[field];
        if (message) form.setError(field, { message });
      }
      if (rest) form.setError('root', { message: rest });
      const first = FIELDS.find((f) => byField[f]);
      form.setFocus(first ?? 'currentPassword');
    }
  });

  const field = (
    name: (typeof FIELDS)[number],
    label: string,
    autoComplete: string,
    hint?: string,
  ) => (
    <Field id={name} label={label} error={errors[name]?.message} hint={hint}>
      <Input
        id={name}
        type="password"
        autoComplete={autoComplete}
        aria-invalid={errors[name] ? true : undefined}
        aria-describedby={describedBy(name, { hint: !!hint, error: !!errors[name] })}
        {...form.register(name)}
      />
    </Field>
  );

  return (
    <main className="flex min-h-dvh items-center justify-center bg-background px-4 py-10">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex flex-col items-center gap-3 text-center">
          <Logo className="size-10 rounded-xl" />
          <h1 className="font-semibold text-2xl tracking-tight">
            {forced ? 'Choose your password' : 'Change your password'}
          </h1>
          <p className="text-muted-foreground text-sm">
            {forced
              ? 'You signed in with a one-time password. Choose a password of your own to go on.'
              : 'Your other sessions are signed out when the password changes.'}
          </p>
        </div>
        <form
          noValidate
          onSubmit={onSubmit}
          className="grid gap-4 rounded-xl border bg-card p-6 shadow-sm"
        >
          <FormError message={errors.root?.message} />
          {/* Lets password managers store the new password under the right account. */}
          <input
            type="email"
            autoComplete="username"
            value={me?.user?.email ?? ''}
            readOnly
            hidden
          />
          {field(
            'currentPassword',
            forced ? 'One-time password' : 'Current password',
            'current-password',
          )}
          {field(
            'newPassword',
            'New password',
            'new-password',
            `At least ${MIN_PASSWORD_LENGTH} characters, not one of the most common passwords. A few words make a good one.`,
          )}
          {field('confirmPassword', 'New password again', 'new-password')}
          <Button type="submit" disabled={isSubmitting} className="mt-1 w-full">
            {isSubmitting ? 'Saving…' : 'Save password'}
          </Button>
          {forced ? null : (
            <Button variant="ghost" asChild className="w-full">
              <Link to="/">Cancel</Link>
            </Button>
          )}
        </form>
      </div>
    </main>
  );
}
