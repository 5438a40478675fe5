import { Link } from '@tanstack/react-router';
import { ConstructionIcon } from 'lucide-react';
import type * as React from 'react';
import { EmptyState } from './ui/empty-state.tsx';

/** A screen that exists (its URL works) but whose full version is still being built. */
export function ComingSoon({ children }: { children: React.ReactNode }) {
  return (
    <EmptyState icon={ConstructionIcon} title="This screen is being built" className="bg-card">
      {children}{' '}
      <Link to="/follow-ups" className="text-primary underline underline-offset-4">
        Open the follow-ups
      </Link>{' '}
      or{' '}
      <Link to="/contacts" className="text-primary underline underline-offset-4">
        the contacts
      </Link>{' '}
      in the meantime.
    </EmptyState>
  );
}
