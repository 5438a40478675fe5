import { zodResolver } from '@hookform/resolvers/zod';
import { useQueryClient } from '@tanstack/react-query';
import { getRouteApi, useRouter } from '@tanstack/react-router';
import { AlertCircleIcon } from 'lucide-react';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { LoginBody } from '../../../../contracts/auth.contract.ts';
import { Logo } from '../../../components/logo.tsx';
import { Alert } from '../../../components/ui/alert.tsx';
import { Button } from '../../../components/ui/button.tsx';
import { describedBy, Field } from '../../../components/ui/field.tsx';
import { Input } from '../../../components/ui/input.tsx';
import { Select } from '../../../components/ui/select.tsx';
import { errorMessage, isApiError } from '../../../lib/api.ts';
import { meQuery } from '../../../lib/session.ts';
import { login, safeRedirect } from '../api.ts';

const route = getRouteApi('/login');

interface LoginValues {
  email: string;
  password: string;
  workspaceId?: string;
}

export function LoginPage() {
  const { redirect } = route.useSearch();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  // The same email and password open accounts in several workspaces: the person picks one.
  const [workspaces, setWorkspaces] = useState<{ id: string; name: string }[]>([]);
  const form = useForm<LoginValues>({
    resolver: zodResolver(LoginBody),
    defaultValues: { email: '', password: '' },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setProblem(null);
    try {
      const me = await login(values);
      queryClient.setQueryData(meQuery.queryKey, me);
      router.history.replace(safeRedirect(redirect));
    } catch (error) {
      if (isApiError(error, 409) && error.type === '/problems/choose-workspace') {
        setWorkspaces(error.workspaces);
        form.setValue('workspaceId', error.workspaces[0]?.id);
        setProblem(null);
        return;
      }
      if (isApiError(error, 401) && workspaces.length) {
        setWorkspaces([]);
        form.setValue('workspaceId', undefined);
      }
      if (isApiError(error, 400) && error.errors.length) {
        for (const e of error.errors) {
          if (e.path === 'email' || e.path === 'password') form.setError(e.path, e);
        }
      }
      setProblem(errorMessage(error));
      form.setFocus('password');
    }
  });

  return (
    <main className="flex min-h-dvh items-center justify-center bg-background px-4 py-10">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex flex-col items-center gap-3 text-center">
          <Logo className="size-10 rounded-xl" />
          <h1 className="font-semibold text-2xl tracking-tight">Sign in to Followthrough</h1>
          <p className="text-muted-foreground text-sm">
            Every contact's calls and follow-ups, on one page.
          </p>
        </div>
        <form
          noValidate
          onSubmit={onSubmit}
          className="grid gap-4 rounded-xl border bg-card p-6 shadow-sm"
        >
          {problem ? (
            <Alert variant="destructive">
              <AlertCircleIcon aria-hidden="true" />
              <p>{problem}</p>
            </Alert>
          ) : null}
          <Field id="email" label="Email" error={errors.email?.message}>
            <Input
              id="email"
              type="email"
              autoComplete="username"
              autoFocus
              aria-invalid={errors.email ? true : undefined}
              aria-describedby={describedBy('email', { error: !!errors.email })}
              {...form.register('email')}
            />
          </Field>
          <Field id="password" label="Password" error={errors.password?.message}>
            <Input
              id="password"
              type="password"
              autoComplete="current-password"
              aria-invalid={errors.password ? true : undefined}
              aria-describedby={describedBy('password', { error: !!errors.password })}
              {...form.register('password')}
            />
          </Field>
          {workspaces.length > 1 ? (
            <Field
              id="workspace"
              label="Workspace"
              hint="This email and password open several workspaces: choose one."
            >
              <Controller
                control={form.control}
                name="workspaceId"
                render={({ field }) => (
                  <Select
                    id="workspace"
                    name={field.name}
                    value={field.value ?? ''}
                    onValueChange={field.onChange}
                    options={workspaces.map((w) => ({ value: w.id, label: w.name }))}
                    describedBy={describedBy('workspace', { hint: true })}
                  />
                )}
              />
            </Field>
          ) : null}
          <Button type="submit" disabled={isSubmitting} className="mt-1 w-full">
            {isSubmitting ? 'Signing in…' : 'Sign in'}
          </Button>
        </form>
      </div>
    </main>
  );
}
