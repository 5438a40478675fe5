import { ComingSoon } from '../../../components/coming-soon.tsx';
import { PageHeader } from '../../../components/page-header.tsx';

export function SettingsPage() {
  return (
    <>
      <PageHeader
        title="Settings"
        description="Calling windows, retry schedule, expiry, webhook endpoints, API keys and users."
      />
      <ComingSoon>Workspace settings can be changed through the API (/docs) for now.</ComingSoon>
    </>
  );
}
