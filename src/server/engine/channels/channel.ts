/**
 * Every channel (call, SMS, webhook) behind one interface. The dispatcher calls `start` outside
 * any transaction, with the attempt's idempotency key; the channel answers with the result, or
 * says the result will come later through a provider callback (calls).
 */
import type { FollowUpType } from '../../../core/follow-up.ts';
import type { AttemptResult } from '../../../core/results.ts';

export interface AttemptJob {
  attemptId: string;
  followUpId: string;
  workspaceId: string;
  number: number;
  type: FollowUpType;
  /** `<followUpId>:<attemptNumber>`: the provider recognises a repeated dispatch by it. */
  idempotencyKey: string;
  agentId: string | null;
  campaignId: string | null;
  notes: string | null;
  contact: { id: string; name: string; phone: string; email: string | null; timezone: string };
}

export type ChannelOutcome =
  | {
      status: 'done';
      result: AttemptResult;
      error?: string | null;
      providerRef?: string | null;
      /** For webhooks: the HTTP status that decided the result. */
      httpStatus?: number;
    }
  | { status: 'pending'; providerRef?: string | null }
  /**
   * The platform refused new calls for now (429, concurrency limit): the follow-up goes back to
   * the queue without spending the attempt, and runs again from `until`.
   */
  | { status: 'held'; until: Date; reason: string };

export interface Channel {
  readonly type: FollowUpType;
  readonly provider: string;
  start(job: AttemptJob): Promise<ChannelOutcome>;
  /** Stops timers and connections (graceful shutdown). */
  close?(): Promise<void>;
}

export type Channels = Record<FollowUpType, Channel>;
