/**
 * The "Schedule follow-up" dialog (SPEC §7.2.1) and its twin for "Reschedule". Loaded on
 * demand: the form (follow-up-form.tsx), its fields (follow-up-fields.tsx) and the preview hint
 * (schedule-hint.tsx) come with it.
 */
import { TYPE_LABELS } from '../../../../core/follow-up.ts';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from '../../../components/ui/dialog.tsx';
import type { FollowUp } from '../api.ts';
import { FollowUpForm } from './follow-up-form.tsx';
import type { DialogContact } from './follow-up-form-values.ts';

export type { DialogContact };

export function ScheduleFollowUpDialog({
  open,
  onOpenChange,
  contact,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  contact: DialogContact;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>Schedule follow-up</DialogTitle>
          <DialogDescription>For {contact.name}. Times are in your time zone.</DialogDescription>
        </DialogHeader>
        <FollowUpForm mode={{ kind: 'create', contact }} onDone={() => onOpenChange(false)} />
      </DialogContent>
    </Dialog>
  );
}

export function RescheduleFollowUpDialog({
  open,
  onOpenChange,
  followUp,
  contact,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  followUp: FollowUp;
  contact: DialogContact;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>Reschedule follow-up</DialogTitle>
          <DialogDescription>
            {TYPE_LABELS[followUp.type]} for {contact.name}. Times are in your time zone; saving
            schedules it again with these values.
          </DialogDescription>
        </DialogHeader>
        <FollowUpForm
          mode={{ kind: 'edit', contact, followUp }}
          onDone={() => onOpenChange(false)}
        />
      </DialogContent>
    </Dialog>
  );
}
