import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { BanIcon, CircleCheckIcon } from 'lucide-react';
import { useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { toast } from 'sonner';
import type { z } from 'zod';
import type { ContactDetail } from '../../../../contracts/contacts.contract.ts';
import { AddDncBody } from '../../../../contracts/dnc.contract.ts';
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
import { describedBy, Field } from '../../../components/ui/field.tsx';
import { Input } from '../../../components/ui/input.tsx';
import { errorMessage } from '../../../lib/api.ts';
import { addDnc, failedSentence, refreshAfterDncChange, removeDnc } from '../api.ts';

/** The reason of a listing, checked by the API's own rule. */
const ReasonForm = AddDncBody.pick({ reason: true });
type ReasonInput = z.input<typeof ReasonForm>;
type ReasonOutput = z.output<typeof ReasonForm>;

/** "Add to DNC" / "Remove from DNC" on a contact's page, each with a confirmation. */
export function DncActions({ contact }: { contact: ContactDetail }) {
  const [open, setOpen] = useState(false);
  const reasonId = useId();
  const queryClient = useQueryClient();
  const form = useForm<ReasonInput, unknown, ReasonOutput>({
    resolver: zodResolver(ReasonForm),
    defaultValues: { reason: '' },
  });
  const reasonError = form.formState.errors.reason?.message;

  const mutation = useMutation({
    mutationFn: async ({ reason }: ReasonOutput) => {
      if (!contact.dncEntryId) {
        const added = await addDnc({ phone: contact.phone, reason });
        return { added: true, failed: added.failedFollowUps };
      }
      await removeDnc(contact.dncEntryId);
      return { added: false, failed: 0 };
    },
    onSuccess: async ({ added, failed }) => {
      setOpen(false);
      form.reset();
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
            onSubmit={form.handleSubmit((values) => mutation.mutate(values))}
          >
            {mutation.isError ? (
              <Alert variant="destructive">
                <p>{errorMessage(mutation.error)}</p>
              </Alert>
            ) : null}
            {adding ? (
              <Field id={reasonId} label="Reason (optional)" error={reasonError}>
                <Input
                  id={reasonId}
                  maxLength={500}
                  placeholder="e.g. Asked not to be called again"
                  aria-invalid={reasonError ? true : undefined}
                  aria-describedby={describedBy(reasonId, { error: !!reasonError })}
                  {...form.register('reason')}
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
