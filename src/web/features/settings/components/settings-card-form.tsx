/**
 * What the calling-window and outcome-rules cards share: load the settings, keep what is typed,
 * save one field with PATCH /api/settings, put the server's reasons by their fields.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AlertCircleIcon } from 'lucide-react';
import type * as React from 'react';
import { type FormEvent, useState } from 'react';
import { toast } from 'sonner';
import { ErrorState } from '../../../components/error-state.tsx';
import { Alert } from '../../../components/ui/alert.tsx';
import { Button } from '../../../components/ui/button.tsx';
import {
  Card,
  CardContent,
  CardDescription,
  CardHeader,
  CardTitle,
} from '../../../components/ui/card.tsx';
import { Skeleton } from '../../../components/ui/skeleton.tsx';
import { ApiError, errorMessage, type FieldProblem, problemsUnder } from '../../../lib/api.ts';
import { useIsAdmin } from '../../../lib/session.ts';
import {
  patchSettings,
  type Settings,
  type SettingsChanges,
  workspaceSettingsQuery,
} from '../api-windows.ts';

export function SettingsCardForm<Draft>({
  id,
  title,
  description,
  field,
  toDraft,
  toBody,
  check,
  render,
}: {
  id: string;
  title: string;
  description: string;
  field: keyof SettingsChanges;
  toDraft: (settings: Settings) => Draft;
  toBody: (draft: Draft) => SettingsChanges;
  /** What is plainly wrong before asking the server (paths inside the field). */
  check?: (draft: Draft) => FieldProblem[];
  render: (props: {
    draft: Draft;
    setDraft: (draft: Draft) => void;
    errors: FieldProblem[];
    disabled: boolean;
  }) => React.ReactNode;
}) {
  const query = useQuery(workspaceSettingsQuery);
  return (
    <Card aria-labelledby={id}>
      <CardHeader>
        <div className="grid gap-1">
          <CardTitle id={id}>{title}</CardTitle>
          <CardDescription>{description}</CardDescription>
        </div>
      </CardHeader>
      <CardContent>
        {query.isPending ? (
          <Skeleton className="h-48 w-full" />
        ) : query.isError ? (
          <ErrorState error={query.error} onRetry={() => query.refetch()} />
        ) : (
          <Editor
            settings={query.data}
            field={field}
            toDraft={toDraft}
            toBody={toBody}
            check={check}
            render={render}
          />
        )}
      </CardContent>
    </Card>
  );
}

function Editor<Draft>({
  settings,
  field,
  toDraft,
  toBody,
  check,
  render,
}: {
  settings: Settings;
  field: keyof SettingsChanges;
  toDraft: (settings: Settings) => Draft;
  toBody: (draft: Draft) => SettingsChanges;
  check?: (draft: Draft) => FieldProblem[];
  render: Parameters<typeof SettingsCardForm<Draft>>[0]['render'];
}) {
  const queryClient = useQueryClient();
  const isAdmin = useIsAdmin();
  const [draft, setDraft] = useState(() => toDraft(settings));
  const [errors, setErrors] = useState<FieldProblem[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: () => patchSettings(toBody(draft)),
    onSuccess: (saved) => {
      setErrors([]);
      setFormError(null);
      queryClient.setQueryData(workspaceSettingsQuery.queryKey, saved);
      void queryClient.invalidateQueries({ queryKey: ['campaigns'] });
      toast.success('Changes saved');
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) return setFormError(errorMessage(error));
      setErrors(problemsUnder(error.errors, field));
      setFormError(
        error.errors.length ? 'Nothing was saved: correct the fields marked above.' : error.detail,
      );
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems = check?.(draft) ?? [];
    if (problems.length > 0) {
      setErrors(problems);
      setFormError('Nothing was saved: correct the fields marked above.');
      return;
    }
    mutation.mutate();
  };
  return (
    <form noValidate onSubmit={onSubmit} className="grid gap-4" aria-busy={mutation.isPending}>
      {render({ draft, setDraft, errors, disabled: !isAdmin })}
      {isAdmin ? (
        <div className="flex flex-wrap items-center justify-end gap-3">
          {formError ? (
            <Alert variant="destructive" className="mr-auto" data-testid="form-error">
              <AlertCircleIcon aria-hidden="true" />
              <p>{formError}</p>
            </Alert>
          ) : null}
          <Button type="submit" disabled={mutation.isPending}>
            {mutation.isPending ? 'Saving…' : 'Save changes'}
          </Button>
        </div>
      ) : (
        <p className="text-muted-foreground text-sm">Only admins can change these settings.</p>
      )}
    </form>
  );
}
