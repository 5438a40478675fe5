/**
 * The calling rules that shaped when a follow-up runs (POST /api/follow-ups/preview's `rules`):
 * each rule in words with its citation, under the schedule dialog's hint, on the follow-up page
 * and in the timeline. Not legal advice (Settings › Compliance).
 */
import { useQuery } from '@tanstack/react-query';
import type { AppliedRuleOut } from '../../../../contracts/follow-ups.contract.ts';
import { isOpen } from '../../../../core/follow-up.ts';
import { cn } from '../../../lib/utils.ts';
import { type FollowUp, previewQuery } from '../api.ts';

/** A rule as the timeline finds it in an event's data (stored JSON), or null. */
export function asAppliedRule(value: unknown): AppliedRuleOut | null {
  if (!value || typeof value !== 'object') return null;
  const r = value as Record<string, unknown>;
  if (typeof r.message !== 'string') return null;
  return {
    code: (typeof r.code === 'string' ? r.code : 'federal') as AppliedRuleOut['code'],
    message: r.message,
    source: typeof r.source === 'string' ? r.source : null,
  };
}

/**
 * The rules as a list: "Florida: 08:00–20:00 every day (Fla. Stat. 501.616(6)(a)–(b))". The
 * source is added after a rule whose words do not already cite it.
 */
export function CallingRulesList({
  rules,
  className,
  label = 'Calling rules',
}: {
  rules: readonly AppliedRuleOut[];
  className?: string;
  label?: string;
}) {
  if (rules.length === 0) return null;
  return (
    <ul aria-label={label} data-testid="calling-rules" className={cn('grid gap-0.5', className)}>
      {rules.map((rule) => (
        <li key={`${rule.code}:${rule.message}`} data-code={rule.code}>
          {rule.message}
          {rule.source && !rule.message.includes(rule.source) ? (
            <span className="text-muted-foreground"> ({rule.source})</span>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/**
 * The follow-up page's "Calling rules": the rules in force for its next attempt, asked of the
 * preview with the follow-up's own contact, type, time, override and campaign.
 */
export function FollowUpCallingRules({ followUp: f }: { followUp: FollowUp }) {
  const applies = isOpen(f.status) && f.type !== 'webhook';
  const preview = useQuery(
    previewQuery(
      applies
        ? {
            contactId: f.contactId,
            type: f.type,
            scheduledAt: f.nextAttemptAt ?? f.scheduledAt,
            allowOutOfWindow: f.allowOutOfWindow,
            campaignId: f.campaignId ?? undefined,
          }
        : null,
    ),
  );
  if (!applies) {
    return (
      <p className="text-muted-foreground text-sm">
        {f.type === 'webhook'
          ? 'Webhooks run at their time: no calling rules apply.'
          : 'It is no longer open: no calling rules apply.'}
      </p>
    );
  }
  if (preview.isError) {
    return <p className="text-muted-foreground text-sm">The calling rules could not be loaded.</p>;
  }
  if (!preview.data) return <p className="text-muted-foreground text-sm">Checking the rules…</p>;
  return (
    <div className="grid gap-2 text-sm">
      <CallingRulesList rules={preview.data.rules} />
      <p className="text-muted-foreground text-xs">
        Not legal advice: see Settings › Compliance for the rules and their sources.
      </p>
    </div>
  );
}
