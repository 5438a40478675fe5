import { CALL_OUTCOME_LABELS, type CallOutcome } from '../../../../core/results.ts';
import { Badge } from '../../../components/ui/badge.tsx';
import { cn } from '../../../lib/utils.ts';

const OUTCOME_CLASSES: Record<CallOutcome, string> = {
  answered: 'bg-green-100 text-green-800 dark:bg-green-400/20 dark:text-green-200',
  callback_requested: 'bg-blue-100 text-blue-800 dark:bg-blue-400/20 dark:text-blue-200',
  no_answer: 'bg-zinc-200 text-zinc-700 dark:bg-zinc-400/20 dark:text-zinc-300',
  busy: 'bg-zinc-200 text-zinc-700 dark:bg-zinc-400/20 dark:text-zinc-300',
  voicemail: 'bg-zinc-200 text-zinc-700 dark:bg-zinc-400/20 dark:text-zinc-300',
  failed: 'bg-red-100 text-red-800 dark:bg-red-400/20 dark:text-red-200',
  not_interested: 'bg-orange-100 text-orange-800 dark:bg-orange-400/20 dark:text-orange-200',
  do_not_call: 'bg-red-100 text-red-800 dark:bg-red-400/20 dark:text-red-200',
};

export function OutcomeBadge({ outcome }: { outcome: CallOutcome }) {
  return (
    <Badge variant="secondary" className={cn('border-transparent', OUTCOME_CLASSES[outcome])}>
      {CALL_OUTCOME_LABELS[outcome]}
    </Badge>
  );
}
