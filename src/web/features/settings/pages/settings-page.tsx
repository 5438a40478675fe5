/**
 * /settings (SPEC §7): the workspace's settings in sections, the open one in the URL
 * (?section=general | calling-windows | compliance | users | api-keys | webhooks | voice-platform).
 * Admins change them; everyone else reads the general, calling, compliance and voice platform
 * settings and is told that only admins can change settings.
 */
import { getRouteApi, Link } from '@tanstack/react-router';
import { LockIcon } from 'lucide-react';
import { PageHeader } from '../../../components/page-header.tsx';
import { Alert } from '../../../components/ui/alert.tsx';
import { useIsAdmin } from '../../../lib/session.ts';
import { cn } from '../../../lib/utils.ts';
import { ApiKeysSettings } from '../components/api-keys-settings.tsx';
import { CallingWindowSettings } from '../components/calling-window-settings.tsx';
import { ComplianceSettings } from '../components/compliance-settings.tsx';
import { GeneralSettings } from '../components/general-settings.tsx';
import { OutcomeRulesSettings } from '../components/outcome-rules-settings.tsx';
import { UsersSettings } from '../components/users-settings.tsx';
import { VoicePlatformSettings } from '../components/voice-platform-settings.tsx';
import { WebhooksSettings } from '../components/webhooks-settings.tsx';
import type { SettingsSection } from '../search.ts';

const route = getRouteApi('/_app/settings');

const SECTIONS: { id: SettingsSection; label: string; adminOnly: boolean }[] = [
  { id: 'general', label: 'General', adminOnly: false },
  { id: 'calling-windows', label: 'Calling windows', adminOnly: false },
  { id: 'compliance', label: 'Compliance', adminOnly: false },
  { id: 'users', label: 'Users', adminOnly: true },
  { id: 'api-keys', label: 'API keys', adminOnly: true },
  { id: 'webhooks', label: 'Webhook endpoints', adminOnly: true },
  { id: 'voice-platform', label: 'Voice platform', adminOnly: false },
];

export const ONLY_ADMINS = 'Only admins can change settings.';

function AdminsOnly({ reads }: { reads: boolean }) {
  return (
    <Alert variant="info" className="mb-4" data-testid="admins-only">
      <LockIcon aria-hidden="true" />
      <p>
        {ONLY_ADMINS}{' '}
        {reads
          ? 'You can read them here.'
          : 'Users, API keys and webhook endpoints are shown to admins only.'}
      </p>
    </Alert>
  );
}

export function SettingsPage() {
  const { section = 'general' } = route.useSearch();
  const isAdmin = useIsAdmin();
  const current = SECTIONS.find((s) => s.id === section) ?? SECTIONS[0]!;
  return (
    <>
      <PageHeader
        title="Settings"
        description="The workspace, calling windows, compliance rules, users, API keys, webhook endpoints and the voice platform."
      />
      <nav aria-label="Settings sections" className="mb-5">
        <ul className="flex flex-wrap gap-x-1 border-b">
          {SECTIONS.map((s) => {
            const active = s.id === current.id;
            return (
              <li key={s.id}>
                <Link
                  to="/settings"
                  search={{ section: s.id === 'general' ? undefined : s.id }}
                  aria-current={active ? 'page' : undefined}
                  className={cn(
                    '-mb-px block whitespace-nowrap border-b-2 px-3 py-2 font-medium text-sm',
                    'focus-visible:outline-2 focus-visible:outline-ring',
                    active
                      ? 'border-primary text-foreground'
                      : 'border-transparent text-muted-foreground hover:text-foreground',
                  )}
                >
                  {s.label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      {!isAdmin ? <AdminsOnly reads={!current.adminOnly} /> : null}
      {current.id === 'general' ? <GeneralSettings canEdit={isAdmin} /> : null}
      {current.id === 'calling-windows' ? (
        <div className="grid gap-6">
          <CallingWindowSettings />
          <OutcomeRulesSettings />
        </div>
      ) : null}
      {current.id === 'compliance' ? <ComplianceSettings canEdit={isAdmin} /> : null}
      {isAdmin && current.id === 'users' ? <UsersSettings /> : null}
      {isAdmin && current.id === 'api-keys' ? <ApiKeysSettings /> : null}
      {isAdmin && current.id === 'webhooks' ? <WebhooksSettings /> : null}
      {current.id === 'voice-platform' ? <VoicePlatformSettings canEdit={isAdmin} /> : null}
    </>
  );
}
