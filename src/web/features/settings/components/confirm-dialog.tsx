/** "Are you sure?" for actions that cannot be undone from here (revoke, delete, rotate). */
import { useMutation } from '@tanstack/react-query';
import { AlertCircleIcon } from 'lucide-react';
import type * as React from 'react';
import { Alert } from '../../../components/ui/alert.tsx';
import { Button } from '../../../components/ui/button.tsx';
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '../../../components/ui/dialog.tsx';
import { errorMessage } from '../../../lib/api.ts';

export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  confirm,
  pending,
  destructive = true,
  onConfirm,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: React.ReactNode;
  /** The button's label, e.g. "Revoke". */
  confirm: string;
  /** The button's label while it works, e.g. "Revoking…". */
  pending: string;
  destructive?: boolean;
  /** Does the work; the dialog closes when it succeeds and shows why when it fails. */
  onConfirm: () => Promise<unknown>;
}) {
  const mutation = useMutation({
    mutationFn: onConfirm,
    onSuccess: () => onOpenChange(false),
  });
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) mutation.reset();
        onOpenChange(next);
      }}
    >
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{description}</DialogDescription>
        </DialogHeader>
        {mutation.isError ? (
          <Alert variant="destructive">
            <AlertCircleIcon aria-hidden="true" />
            <p>{errorMessage(mutation.error)}</p>
          </Alert>
        ) : null}
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button
            variant={destructive ? 'destructive' : 'default'}
            disabled={mutation.isPending}
            onClick={() => mutation.mutate()}
          >
            {mutation.isPending ? pending : confirm}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
