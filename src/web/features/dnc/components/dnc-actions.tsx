import { useMutation, useQueryClient } from '@tanstack/react-query';
import { BanIcon, CircleCheckIcon } from 'lucide-react';
import { useId, useState } from 'react';
import { toast } from 'sonner';
import type { ContactDetail } from '../../../../contracts/contacts.contract.ts';
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
import { Field } from '../../../components/ui/field.tsx';
import { Input } from '../../../components/ui/input.tsx';
import { errorMessage } from '../../../lib/api.ts';
import { addDnc, failedSentence, refreshAfterDncChange, removeDnc } from '../api.ts';

/** "Add to DNC" / "Remove from DNC" on a contact's page, each with a confirmation. */
export function DncActions({ contact }: { contact: ContactDetail }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const reasonId = useId();
  const queryClient = useQueryClient();

  const mutation = useMutation({
    mutationFn: async () => {
      if (!contact.dncEntryId) {
        const added = await addDnc({ phone: contact.phone, reason: reason.trim() || null });
        return { added: true, failed: added.failedFollowUps };
      }
      await removeDnc(contact.dncEntryId);
      return { added: false, failed: 0 };
    },
    onSuccess: async ({ added, failed }) => {
      setOpen(false);
      setReason('');
      if (added) {
        toast.success(`${contact.name} is on the Do Not Call list`, {
          description: failedSentence(failed),
        });
      } else {
        toast.success(`${contact.name} was removed from the Do Not Call list`, {
          description: 'Follow-ups failed by the listing stay failed: retry them from their pages.',
        });
      }
      await refreshAfterDncChange(queryClient);
    },
  });

  const adding = !contact.dncEntryId;
  return (
    <>
      <Button
        variant={adding ? 'outline' : 'secondary'}
        size="sm"
        onClick={() => {
          mutation.reset();
          setOpen(true);
        }}
      >
        {adding ? <BanIcon aria-hidden="true" /> : <CircleCheckIcon aria-hidden="true" />}
        {adding ? 'Add to DNC' : 'Remove from DNC'}
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent>
          <DialogHeader>
            <DialogTitle>
              {adding ? 'Add to the Do Not Call list?' : 'Remove from the Do Not Call list?'}
            </DialogTitle>
            <DialogDescription>
              {adding
                ? `${contact.phone} will not be called or texted again. Open call and SMS follow-ups of ${contact.name} fail now.`
                : `${contact.phone} may be called and texted again. Follow-ups failed by the listing stay failed until you retry them.`}
            </DialogDescription>
          </DialogHeader>
          <form
            noValidate
            className="grid gap-4"
            onSubmit={(event) => {
              event.preventDefault();
              mutation.mutate();
            }}
          >
            {mutation.isError ? (
              <Alert variant="destructive">
                <p>{errorMessage(mutation.error)}</p>
              </Alert>
            ) : null}
            {adding ? (
              <Field id={reasonId} label="Reason (optional)">
                <Input
                  id={reasonId}
                  value={reason}
                  maxLength={500}
                  onChange={(e) => setReason(e.target.value)}
                  placeholder="e.g. Asked not to be called again"
                />
              </Field>
            ) : null}
            <DialogFooter>
              <DialogClose asChild>
                <Button variant="outline">Cancel</Button>
              </DialogClose>
              <Button
                type="submit"
                variant={adding ? 'destructive' : 'default'}
                disabled={mutation.isPending}
              >
                {mutation.isPending ? 'Saving…' : adding ? 'Add to DNC' : 'Remove from DNC'}
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </>
  );
}
