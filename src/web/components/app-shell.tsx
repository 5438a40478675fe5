import { useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import {
  BanIcon,
  BotIcon,
  CalendarClockIcon,
  KeyRoundIcon,
  LayoutDashboardIcon,
  LogOutIcon,
  MegaphoneIcon,
  MenuIcon,
  PhoneIcon,
  SettingsIcon,
  UsersIcon,
} from 'lucide-react';
import { Dialog as DialogPrimitive } from 'radix-ui';
import { useEffect, useState } from 'react';
import { toast } from 'sonner';
import { errorMessage } from '../lib/api.ts';
import { startLiveUpdates } from '../lib/live.ts';
import { logout, useMe } from '../lib/session.ts';
import { cn } from '../lib/utils.ts';
import { Logo } from './logo.tsx';
import { Button } from './ui/button.tsx';

const NAV = [
  { to: '/', label: 'Dashboard', icon: LayoutDashboardIcon, exact: true },
  { to: '/contacts', label: 'Contacts', icon: UsersIcon },
  { to: '/follow-ups', label: 'Follow-ups', icon: CalendarClockIcon },
  { to: '/campaigns', label: 'Campaigns', icon: MegaphoneIcon },
  { to: '/agents', label: 'Agents', icon: BotIcon },
  { to: '/call-logs', label: 'Call logs', icon: PhoneIcon },
  { to: '/dnc', label: 'Do Not Call', icon: BanIcon },
  { to: '/settings', label: 'Settings', icon: SettingsIcon },
] as const;

function Brand() {
  return (
    <Link to="/" className="flex items-center gap-2 font-semibold text-base tracking-tight">
      <Logo />
      Followthrough
    </Link>
  );
}

function NavLinks({ onNavigate }: { onNavigate?: () => void }) {
  return (
    <ul className="grid gap-0.5">
      {NAV.map((item) => (
        <li key={item.to}>
          <Link
            to={item.to}
            onClick={onNavigate}
            activeOptions={{ exact: 'exact' in item, includeSearch: false }}
            className={cn(
              'flex items-center gap-2.5 rounded-md px-2.5 py-2 font-medium text-muted-foreground',
              'text-sm hover:bg-accent hover:text-accent-foreground',
              'data-[status=active]:bg-accent data-[status=active]:text-accent-foreground',
            )}
          >
            <item.icon aria-hidden="true" className="size-4" />
            {item.label}
          </Link>
        </li>
      ))}
    </ul>
  );
}

function UserBlock() {
  const { data: me } = useMe();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const name = me?.user?.name ?? me?.apiKey?.name ?? '';
  const email = me?.user?.email ?? '';
  const role = me?.user?.role ?? me?.apiKey?.role ?? '';

  async function signOut() {
    setBusy(true);
    try {
      await logout();
      queryClient.clear();
      await navigate({ to: '/login', search: { redirect: undefined } });
      toast.success('Signed out');
    } catch (error) {
      toast.error('Could not sign out', { description: errorMessage(error) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="grid gap-2 border-t pt-3">
      <div className="min-w-0 px-1">
        <p className="truncate font-medium text-sm" title={name}>
          {name}
        </p>
        <p className="truncate text-muted-foreground text-xs" title={email}>
          {email}
        </p>
        <p className="text-muted-foreground text-xs">
          {role ? `${role[0]?.toUpperCase()}${role.slice(1)}` : ''}
          {me?.workspace ? ` · ${me.workspace.name}` : ''}
        </p>
      </div>
      {me?.user ? (
        <Button variant="ghost" size="sm" asChild>
          <Link to="/password">
            <KeyRoundIcon aria-hidden="true" />
            Change password
          </Link>
        </Button>
      ) : null}
      <Button variant="outline" size="sm" onClick={signOut} disabled={busy}>
        <LogOutIcon aria-hidden="true" />
        Sign out
      </Button>
    </div>
  );
}

function Sidebar({ onNavigate }: { onNavigate?: () => void }) {
  return (
    <div className="flex h-full flex-col gap-5 p-3">
      <Brand />
      <nav aria-label="Main" className="flex-1 overflow-y-auto">
        <NavLinks onNavigate={onNavigate} />
      </nav>
      <UserBlock />
    </div>
  );
}

/** The signed-in layout: a sidebar on wide screens, a menu button on narrow ones. */
export function AppShell() {
  const [menuOpen, setMenuOpen] = useState(false);
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const queryClient = useQueryClient();

  // Lists and pages follow the engine's changes while someone is signed in.
  useEffect(() => startLiveUpdates(queryClient), [queryClient]);

  // Close the mobile menu whenever the page changes (also on back/forward).
  // biome-ignore lint/correctness/useExhaustiveDependencies: pathname is the trigger
  useEffect(() => setMenuOpen(false), [pathname]);

  return (
    <div className="min-h-dvh bg-background lg:grid lg:grid-cols-[13rem_minmax(0,1fr)]">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-card focus:px-3 focus:py-2 focus:shadow"
      >
        Skip to content
      </a>
      <aside className="hidden border-r bg-sidebar lg:block">
        <div className="sticky top-0 h-dvh">
          <Sidebar />
        </div>
      </aside>

      <header className="sticky top-0 z-30 flex h-14 items-center gap-3 border-b bg-sidebar/95 px-4 backdrop-blur lg:hidden">
        <DialogPrimitive.Root open={menuOpen} onOpenChange={setMenuOpen}>
          <DialogPrimitive.Trigger asChild>
            <Button variant="ghost" size="icon" aria-label="Open menu">
              <MenuIcon aria-hidden="true" />
            </Button>
          </DialogPrimitive.Trigger>
          <DialogPrimitive.Portal>
            <DialogPrimitive.Overlay className="fixed inset-0 z-40 bg-black/40" />
            <DialogPrimitive.Content
              className="fixed inset-y-0 left-0 z-50 w-72 max-w-[85vw] border-r bg-sidebar shadow-xl outline-none"
              aria-describedby={undefined}
            >
              <DialogPrimitive.Title className="sr-only">Menu</DialogPrimitive.Title>
              <Sidebar onNavigate={() => setMenuOpen(false)} />
            </DialogPrimitive.Content>
          </DialogPrimitive.Portal>
        </DialogPrimitive.Root>
        <Brand />
      </header>

      <main id="main" className="min-w-0 px-4 py-5 sm:px-6 lg:py-7">
        <div className="mx-auto w-full max-w-7xl">
          <Outlet />
        </div>
      </main>
    </div>
  );
}
