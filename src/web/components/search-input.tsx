import { useRouter } from '@tanstack/react-router';
import { SearchIcon, XIcon } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useDebounced } from '../lib/use-debounced.ts';
import { cn } from '../lib/utils.ts';
import { Input } from './ui/input.tsx';

/** A search box that reports its text after the person stops typing. */
export function SearchInput({
  value,
  onChange,
  label,
  placeholder,
  className,
  id,
}: {
  value: string;
  onChange: (value: string) => void;
  label: string;
  placeholder?: string;
  className?: string;
  id?: string;
}) {
  const [text, setText] = useState(value);
  const debounced = useDebounced(text, 300);
  const router = useRouter();
  // The page this box belongs to (while a link's page loads, this one still renders).
  const [home] = useState(() => router.state.location.pathname);
  useEffect(() => setText(value), [value]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: report only when the text settles
  useEffect(() => {
    if (debounced.trim() === value) return;
    // A link clicked while the text was settling: the person has moved on; do not pull them
    // back to this page's search.
    if (router.latestLocation.pathname !== home) return;
    onChange(debounced.trim());
  }, [debounced]);
  return (
    <div className={cn('relative', className)}>
      <SearchIcon
        aria-hidden="true"
        className="-translate-y-1/2 pointer-events-none absolute top-1/2 left-2.5 size-4 text-muted-foreground"
      />
      <Input
        id={id}
        type="search"
        aria-label={label}
        placeholder={placeholder}
        value={text}
        onChange={(e) => setText(e.target.value)}
        className="pr-8 pl-8 [&::-webkit-search-cancel-button]:hidden"
      />
      {text ? (
        <button
          type="button"
          aria-label="Clear search"
          onClick={() => {
            setText('');
            onChange('');
          }}
          className="-translate-y-1/2 absolute top-1/2 right-1.5 inline-flex size-6 items-center justify-center rounded text-muted-foreground hover:text-foreground"
        >
          <XIcon aria-hidden="true" className="size-4" />
        </button>
      ) : null}
    </div>
  );
}
