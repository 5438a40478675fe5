/**
 * What the calling-window and outcome-rules cards share: load the settings, keep what is typed,
 * save one field with PATCH /api/settings, put the server's reasons by their fields.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { AlertCircleIcon } from 'lucide-react';
import type * as React from 'react';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { z } from 'zod';
import { PatchSettingsBody } from '../../../../contracts/settings.contract.ts';
import { ErrorState } from '../../../components/error-state.tsx';
import { problemsIn } from '../../../components/form-refusal.tsx';
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
import { checkedBy, pathSegments } from '../../../lib/forms.ts';
import { useIsAdmin } from '../../../lib/session.ts';
import {
  patchSettings,
  type Settings,
  type SettingsChanges,
  workspaceSettingsQuery,
} from '../api-windows.ts';

/** The form's values: the card's draft (its type is the card's own). */
interface DraftValues {
  draft: unknown;
}

const MARKED = 'Nothing was saved: correct the fields marked above.';

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
  // The draft is checked by the card's own check, then — as the body it becomes — by the
  // contract's PatchSettingsBody; every reason lands under `draft`, by its path in the field.
  const [schema] = useState(() =>
    z.object({
      draft: z
        .unknown()
        .superRefine((value, ctx) => {
          for (const problem of check?.(value as Draft) ?? []) {
            ctx.addIssue({
              code: 'custom',
              message: problem.message,
              path: pathSegments(problem.path),
            });
          }
        })
        .transform((value) => toBody(value as Draft))
        .superRefine(checkedBy(PatchSettingsBody, field)),
    }),
  );
  const form = useForm<DraftValues, unknown, { draft: SettingsChanges }>({
    resolver: zodResolver(schema),
    defaultValues: { draft: toDraft(settings) },
  });
  const values = form.watch() as { draft: Draft };
  const { errors } = form.formState;
  const mutation = useMutation({
    mutationFn: (body: SettingsChanges) => patchSettings(body),
    onSuccess: (saved) => {
      queryClient.setQueryData(workspaceSettingsQuery.queryKey, saved);
      void queryClient.invalidateQueries({ queryKey: ['campaigns'] });
      toast.success('Changes saved');
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) {
        form.setError('root', { type: 'server', message: errorMessage(error) });
        return;
      }
      for (const problem of problemsUnder(error.errors, field)) {
        const path = (problem.path ? `draft.${problem.path}` : 'draft') as 'draft';
        form.setError(path, { type: 'server', message: problem.message });
      }
      form.setError('root', {
        type: 'server',
        message: error.errors.length ? MARKED : error.detail,
      });
    },
  });
  const onSubmit = form.handleSubmit(
    ({ draft }) => mutation.mutate(draft),
    () => form.setError('root', { type: 'client', message: MARKED }),
  );
  const formError = errors.root?.message;
  return (
    <form noValidate onSubmit={onSubmit} className="grid gap-4" aria-busy={mutation.isPending}>
      {render({
        draft: values.draft,
        setDraft: (draft) =>
          form.setValue('draft', draft, {
            shouldDirty: true,
            shouldValidate: form.formState.isSubmitted,
          }),
        errors: problemsIn(errors.draft),
        disabled: !isAdmin,
      })}
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
