/**
 * A secret the server shows once (password, API key, signing secret), with a copy button; and
 * the dialog that creates something and then shows its secret once (API keys, invited users).
 */
import { CheckIcon, CopyIcon } from 'lucide-react';
import { type ReactNode, useId, useState } from 'react';
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
import { Input } from '../../../components/ui/input.tsx';
import { Label } from '../../../components/ui/label.tsx';

export function SecretOnce({ label, value }: { label: string; value: string }) {
  const id = useId();
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  return (
    <div className="grid gap-2" data-testid="secret-once">
      <Label htmlFor={id}>{label}</Label>
      <div className="flex gap-2">
        <Input
          id={id}
          readOnly
          value={value}
          className="font-mono text-xs"
          onFocus={(e) => e.currentTarget.select()}
        />
        <Button
          type="button"
          variant="outline"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(value);
              setCopied('yes');
            } catch {
              setCopied('no');
            }
          }}
        >
          {copied === 'yes' ? <CheckIcon aria-hidden="true" /> : <CopyIcon aria-hidden="true" />}
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </Button>
      </div>
      <Alert variant="warning">
        <p>
          {copied === 'no'
            ? 'The browser did not allow copying: select the text and copy it yourself. '
            : ''}
          Copy it now: it is shown only this once and cannot be seen again.
        </p>
      </Alert>
    </div>
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
