import type { CampaignStatus } from '../../../../core/roles.ts';
import { Badge } from '../../../components/ui/badge.tsx';
import { cn } from '../../../lib/utils.ts';
import { CAMPAIGN_STATUS_LABELS } from '../labels.ts';

const STATUS_TONE: Record<CampaignStatus, string> = {
  draft: 'border-slate-300 bg-slate-100 text-slate-800 dark:bg-slate-800 dark:text-slate-100',
  scheduled: 'border-blue-300 bg-blue-50 text-blue-800 dark:bg-blue-950 dark:text-blue-100',
  running: 'border-green-300 bg-green-50 text-green-800 dark:bg-green-950 dark:text-green-100',
  paused: 'border-amber-300 bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-100',
  completed: 'border-slate-300 bg-transparent text-muted-foreground',
};

export function CampaignStatusBadge({ status }: { status: CampaignStatus }) {
  return (
    <Badge variant="outline" className={cn('font-medium', STATUS_TONE[status])}>
      {CAMPAIGN_STATUS_LABELS[status]}
    </Badge>
  );
}
