/**
 * The status moves the campaign's status allows ("Start", "Pause", "Resume", "Complete"…),
 * for admins. Completing asks first: a completed campaign cannot run again.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { toast } from 'sonner';
import { campaignActions } from '../../../../core/campaign-status.ts';
import type { CampaignStatus } from '../../../../core/roles.ts';
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
import { type CampaignDetail, campaignKeys, setCampaignStatus } from '../api.ts';

export function CampaignStatusActions({ campaign }: { campaign: CampaignDetail }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const mutation = useMutation({
    mutationFn: (status: CampaignStatus) => setCampaignStatus(campaign.id, status),
    onSuccess: (updated, status) => {
      queryClient.setQueryData(campaignKeys.detail(campaign.id), updated);
      void queryClient.invalidateQueries({ queryKey: ['campaigns', 'list'] });
      // Why its follow-ups wait depends on the status.
      void queryClient.invalidateQueries({ queryKey: ['follow-ups', 'list'] });
      setConfirming(false);
      toast.success(
        status === 'running' ? `${updated.name} is running` : `${updated.name} is ${status}`,
      );
    },
    onError: (error) => {
      setConfirming(false);
      toast.error('The status did not change', { description: errorMessage(error) });
      void queryClient.invalidateQueries({ queryKey: campaignKeys.detail(campaign.id) });
    },
  });
  const actions = campaignActions(campaign.status);
  if (actions.length === 0) return null;
  return (
    <>
      {actions.map((action) => (
        <Button
          key={action.label}
          variant={action.to === 'running' ? 'default' : 'outline'}
          disabled={mutation.isPending}
          onClick={() =>
            action.to === 'completed' ? setConfirming(true) : mutation.mutate(action.to)
          }
        >
          {action.label}
        </Button>
      ))}
      <Dialog open={confirming} onOpenChange={setConfirming}>
        <DialogContent className="sm:max-w-md">
          <DialogHeader>
            <DialogTitle>Complete {campaign.name}?</DialogTitle>
            <DialogDescription>
              Its scheduled follow-ups will not start, and a completed campaign cannot run again.
            </DialogDescription>
          </DialogHeader>
          <DialogFooter>
            <DialogClose asChild>
              <Button variant="outline">Keep it</Button>
            </DialogClose>
            <Button
              variant="destructive"
              disabled={mutation.isPending}
              onClick={() => mutation.mutate('completed')}
            >
              Complete campaign
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </>
  );
}
