import { ComingSoon } from '../../../components/coming-soon.tsx';
import { PageHeader } from '../../../components/page-header.tsx';

export function DashboardPage() {
  return (
    <>
      <PageHeader
        title="Dashboard"
        description="Follow-ups per status group, what needs attention, the next 24 hours."
      />
      <ComingSoon>The dashboard's counts and charts arrive in the next pass.</ComingSoon>
    </>
  );
}
