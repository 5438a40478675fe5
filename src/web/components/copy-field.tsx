/**
 * A value to copy elsewhere (a one-time secret, a webhook URL): read-only, selected on focus,
 * with a "Copy" button. When the browser refuses the clipboard, it says to copy by hand.
 */
import { CheckIcon, CopyIcon } from 'lucide-react';
import type * as React from 'react';
import { useId, useState } from 'react';
import { Button } from './ui/button.tsx';
import { Input } from './ui/input.tsx';
import { Label } from './ui/label.tsx';

export const COPY_REFUSED =
  'The browser did not allow copying: select the text and copy it yourself.';

export function CopyField({
  label,
  value,
  note,
  testId,
}: {
  label: string;
  value: string;
  /** Shown under the field, e.g. that a secret is shown only once. */
  note?: (refused: boolean) => React.ReactNode;
  testId?: string;
}) {
  const id = useId();
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  return (
    <div className="grid gap-1.5" data-testid={testId}>
      <Label htmlFor={id} id={`${id}-label`}>
        {label}
      </Label>
      <div className="flex min-w-0 gap-2">
        <Input
          id={id}
          readOnly
          value={value}
          className="min-w-0 font-mono text-xs"
          onFocus={(e) => e.currentTarget.select()}
        />
        <Button
          type="button"
          variant="outline"
          // Named "Copy", described by the field's label (which the field alone is named by).
          aria-describedby={`${id}-label`}
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
      {note ? (
        note(copied === 'no')
      ) : copied === 'no' ? (
        <p className="text-muted-foreground text-xs">{COPY_REFUSED}</p>
      ) : null}
    </div>
  );
}
