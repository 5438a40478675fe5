import { ChevronDownIcon } from 'lucide-react';
import { Badge } from '../../../components/ui/badge.tsx';
import { formatNumber } from '../../../lib/format.ts';
import { cn } from '../../../lib/utils.ts';
import type { Agent } from '../api.ts';

/**
 * Calls in progress against capacity ("2 / 5" and a small bar, full = at capacity), as the
 * button that shows or hides the agent's calls.
 */
export function LoadToggle({
  agent,
  expanded,
  controls,
  onToggle,
}: {
  agent: Agent;
  expanded: boolean;
  controls: string;
  onToggle: () => void;
}) {
  const { callsInProgress: busy, maxConcurrentCalls: max } = agent;
  const share = max > 0 ? Math.min(1, busy / max) : 0;
  return (
    <button
      type="button"
      aria-expanded={expanded}
      aria-controls={controls}
      onClick={onToggle}
      className={cn(
        '-mx-1.5 flex items-center gap-2 rounded-md px-1.5 py-1 text-left hover:bg-accent',
        'focus-visible:outline-2 focus-visible:outline-ring',
      )}
    >
      <span className="sr-only">{expanded ? 'Hide calls of ' : 'Show calls of '}</span>
      <span className="sr-only">{agent.name}: </span>
      <span className="whitespace-nowrap font-medium tabular-nums">
        {formatNumber(busy)} / {formatNumber(max)}
      </span>
      {/* The numbers say it; the bar shows it against the capacity at a glance. */}
      <span aria-hidden="true" className="h-1.5 w-16 overflow-hidden rounded-full bg-muted">
        <span
          className={cn(
            'block h-full rounded-full',
            share >= 1 ? 'bg-amber-500' : busy > 0 ? 'bg-green-500' : 'bg-transparent',
          )}
          style={{ width: `${share * 100}%` }}
        />
      </span>
      {busy >= max ? (
        <span className="whitespace-nowrap text-amber-800 text-xs dark:text-amber-300">
          At capacity
        </span>
      ) : null}
      <ChevronDownIcon
        aria-hidden="true"
        className={cn(
          'size-4 text-muted-foreground transition-transform',
          expanded && 'rotate-180',
        )}
      />
    </button>
  );
}

export function AgentStatus({ agent }: { agent: Agent }) {
  return (
    <Badge
      variant="secondary"
      className={cn(
        'border-transparent',
        agent.status === 'active'
          ? 'bg-green-100 text-green-800 dark:bg-green-400/20 dark:text-green-200'
          : 'bg-zinc-200 text-zinc-700 dark:bg-zinc-400/20 dark:text-zinc-300',
      )}
    >
      {agent.status === 'active' ? 'Active' : 'Inactive'}
    </Badge>
  );
}

export function DefaultBadge({ agent, className }: { agent: Agent; className?: string }) {
  return agent.isDefault ? (
    <Badge variant="outline" className={cn('font-normal', className)}>
      Default
    </Badge>
  ) : null;
}
