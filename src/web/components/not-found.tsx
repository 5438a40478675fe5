import { Link } from '@tanstack/react-router';
import { SearchXIcon } from 'lucide-react';
import { Button } from './ui/button.tsx';

/** Unknown URLs and records that do not exist (or are not in this workspace). */
export function NotFoundPage({
  standalone = false,
  what = 'page',
  backTo,
}: {
  standalone?: boolean;
  what?: string;
  backTo?: { to: '/contacts' | '/follow-ups' | '/campaigns' | '/call-logs'; label: string };
}) {
  const content = (
    <div className="mx-auto flex max-w-md flex-col items-center gap-3 py-16 text-center">
      <SearchXIcon aria-hidden="true" className="size-10 text-muted-foreground" />
      <h1 className="font-semibold text-xl">
        {what === 'page' ? 'Page not found' : `This ${what} was not found`}
      </h1>
      <p className="text-muted-foreground text-sm">
        {what === 'page'
          ? 'Nothing is at this address. Check the link, or start again from the dashboard.'
          : `It may have been removed, or the link points to another workspace. Check the link, or find the ${what} in its list.`}
      </p>
      <div className="mt-2 flex flex-wrap justify-center gap-2">
        {backTo ? (
          <Button asChild>
            <Link to={backTo.to}>{backTo.label}</Link>
          </Button>
        ) : null}
        <Button asChild variant={backTo ? 'outline' : 'default'}>
          <Link to="/">Go to the dashboard</Link>
        </Button>
      </div>
    </div>
  );
  return standalone ? <main className="min-h-dvh px-4">{content}</main> : content;
}
