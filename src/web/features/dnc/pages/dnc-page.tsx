import { ComingSoon } from '../../../components/coming-soon.tsx';
import { PageHeader } from '../../../components/page-header.tsx';

export function DncPage() {
  return (
    <>
      <PageHeader
        title="Do Not Call"
        description="Phone numbers that are never called or texted: add, remove, import CSV."
      />
      <ComingSoon>
        For now, add or remove a contact with "Add to DNC" / "Remove from DNC" on their page.
      </ComingSoon>
    </>
  );
}
