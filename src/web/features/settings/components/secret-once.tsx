/**
 * A secret the server shows once (password, API key, signing secret), with a copy button; and
 * the dialog that creates something and then shows its secret once (API keys, invited users).
 */
import { type ReactNode, useState } from 'react';
import { COPY_REFUSED, CopyField } from '../../../components/copy-field.tsx';
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

export function SecretOnce({ label, value }: { label: string; value: string }) {
  return (
    <CopyField
      label={label}
      value={value}
      testId="secret-once"
      note={(refused) => (
        <Alert variant="warning" className="mt-0.5">
          <p>
            {refused ? `${COPY_REFUSED} ` : ''}
            Copy it now: it is shown only this once and cannot be seen again.
          </p>
        </Alert>
      )}
    />
  );
}

/**
 * A form first (`form` gets the callback for what the server created), then the created
 * thing's secret, once, with "Done". Closing forgets it; the form starts empty each opening.
 */
export function CreateThenSecretDialog<T>({
  open,
  onOpenChange,
  title,
  description,
  secret,
  form,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: (created: T | null) => string;
  description: (created: T | null) => string;
  secret: (created: T) => { label: string; value: string };
  form: (onCreated: (created: T) => void) => ReactNode;
}) {
  const [created, setCreated] = useState<T | null>(null);
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
          <DialogTitle>{title(created)}</DialogTitle>
          <DialogDescription>{description(created)}</DialogDescription>
        </DialogHeader>
        {created ? (
          <>
            <SecretOnce {...secret(created)} />
            <DialogFooter>
              <DialogClose asChild>
                <Button>Done</Button>
              </DialogClose>
            </DialogFooter>
          </>
        ) : open ? (
          form(setCreated)
        ) : null}
      </DialogContent>
    </Dialog>
  );
}
