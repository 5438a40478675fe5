/**
 * What the schedule dialog's form holds: its zod schema (built from the shared contracts), its
 * field names and its starting values for a new or an existing follow-up.
 */
import { z } from 'zod';
import {
  CreateFollowUpBody,
  FollowUpPriority,
  FollowUpType,
} from '../../../../contracts/follow-ups.contract.ts';
import { defaultScheduledAt, fromLocalInputValue, toLocalInputValue } from '../../../lib/format.ts';
import type { FollowUp } from '../api.ts';

/** The agent select's value for "use the contact's or the workspace's agent". */
export const INHERIT = '__inherit__';

export const FollowUpFormSchema = z.object({
  type: FollowUpType,
  scheduledAt: z
    .string()
    .min(1, 'Choose a date and time.')
    .refine((value) => fromLocalInputValue(value) !== null, 'Choose a valid date and time.'),
  agentId: z.string(),
  priority: FollowUpPriority,
  maxAttempts: CreateFollowUpBody.shape.maxAttempts.unwrap(),
  allowOutOfWindow: z.boolean(),
  notes: CreateFollowUpBody.shape.notes.unwrap(),
});
export type FollowUpFormInput = z.input<typeof FollowUpFormSchema>;
export type FollowUpFormOutput = z.output<typeof FollowUpFormSchema>;
type FieldName = keyof FollowUpFormInput;

export const FOLLOW_UP_FORM_FIELDS: FieldName[] = [
  'type',
  'scheduledAt',
  'agentId',
  'priority',
  'maxAttempts',
  'allowOutOfWindow',
  'notes',
];

export interface DialogContact {
  id: string;
  name: string;
  doNotCall: boolean;
}

export type FollowUpFormMode =
  | { kind: 'create'; contact: DialogContact }
  | { kind: 'edit'; contact: DialogContact; followUp: FollowUp };

/** The form's starting values: the follow-up's own when editing, the usual ones otherwise. */
export function followUpFormDefaults(
  contact: Pick<DialogContact, 'doNotCall'>,
  editing: FollowUp | null,
): FollowUpFormInput {
  if (editing) {
    return {
      type: editing.type,
      scheduledAt: toLocalInputValue(new Date(editing.scheduledAt)),
      agentId: editing.agentId ?? INHERIT,
      priority: editing.priority,
      maxAttempts: editing.maxAttempts,
      allowOutOfWindow: editing.allowOutOfWindow,
      notes: editing.notes ?? '',
    };
  }
  return {
    type: contact.doNotCall ? 'webhook' : 'call',
    scheduledAt: toLocalInputValue(defaultScheduledAt()),
    agentId: INHERIT,
    priority: 'normal',
    maxAttempts: 3,
    allowOutOfWindow: false,
    notes: '',
  };
}
