/**
 * A searchable list of the browser's IANA time zones (Intl.supportedValuesOf), with their
 * current offsets, plus "Infer from the phone number" (null). A name the list lacks but the
 * browser knows (an alias like "US/Eastern", or "UTC") can be typed and used as it is; the
 * server checks every name anyway.
 */
import { CheckIcon, ChevronDownIcon, SearchIcon } from 'lucide-react';
import { useMemo, useState } from 'react';
import { cn } from '../lib/utils.ts';
import { Input, inputClass } from './ui/input.tsx';
import { Popover, PopoverContent, PopoverTrigger } from './ui/popover.tsx';

export const INFER_LABEL = 'Infer from the phone number';

function browserZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

/** Whether the browser knows `zone` as a time zone name. */
function knownZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** "GMT-5", "GMT+5:30" now; '' when the browser cannot say. */
function offsetOf(zone: string, at: Date): string {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      timeZoneName: 'shortOffset',
    }).formatToParts(at);
    return parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
  } catch {
    return '';
  }
}

const normalize = (text: string) =>
  text
    .toLowerCase()
    .replace(/[\s_]+/g, ' ')
    .trim();

const item =
  'flex w-full items-center justify-between gap-2 rounded-sm px-2 py-1.5 text-left text-sm ' +
  'hover:bg-accent focus-visible:bg-accent';

export function TimeZonePicker({
  id,
  value,
  onChange,
  invalid,
  describedBy,
  allowInfer = true,
  disabled,
  emptyLabel = INFER_LABEL,
}: {
  id: string;
  /** '' = infer from the phone number (or what emptyLabel says). */
  value: string;
  onChange: (zone: string) => void;
  invalid?: boolean;
  describedBy?: string;
  /** Offer the empty choice ("Infer from the phone number"); false where a zone is required. */
  allowInfer?: boolean;
  disabled?: boolean;
  /** What '' means here. */
  emptyLabel?: string;
}) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const zones = useMemo(() => (open ? browserZones() : []), [open]);
  const offsets = useMemo(() => {
    const now = new Date();
    return new Map(zones.map((zone) => [zone, offsetOf(zone, now)]));
  }, [zones]);

  const wanted = normalize(text);
  const matches = wanted
    ? zones.filter(
        (zone) =>
          normalize(zone).includes(wanted) ||
          normalize(offsets.get(zone) ?? '') === wanted.replace(/^utc/, 'gmt'),
      )
    : zones;
  const typed = text.trim();
  const offerTyped =
    typed !== '' && !zones.some((z) => z.toLowerCase() === typed.toLowerCase()) && knownZone(typed);

  const choose = (zone: string) => {
    onChange(zone);
    setOpen(false);
    setText('');
  };

  return (
    // Modal: inside a dialog, the list must take the scroll lock to scroll.
    <Popover open={open} onOpenChange={setOpen} modal>
      <PopoverTrigger asChild>
        <button
          type="button"
          id={id}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          disabled={disabled}
          data-testid="time-zone-picker"
          className={cn(inputClass, 'items-center justify-between gap-2 text-left')}
        >
          <span className={cn('truncate', !value && 'text-muted-foreground')}>
            {value || emptyLabel}
          </span>
          <ChevronDownIcon aria-hidden="true" className="size-4 shrink-0 opacity-60" />
        </button>
      </PopoverTrigger>
      <PopoverContent className="w-(--radix-popover-trigger-width) min-w-72">
        <div className="relative mb-2">
          <SearchIcon
            aria-hidden="true"
            className="-translate-y-1/2 pointer-events-none absolute top-1/2 left-2.5 size-4 text-muted-foreground"
          />
          <Input
            autoFocus
            type="search"
            aria-label="Search time zones"
            placeholder="City, region or GMT+1"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key !== 'Enter') return;
              e.preventDefault();
              const first = offerTyped ? typed : matches[0];
              if (first) choose(first);
            }}
            className="pl-8"
          />
        </div>
        <ul className="grid max-h-64 gap-0.5 overflow-y-auto" aria-label="Time zones">
          {!wanted && allowInfer ? (
            <li>
              <button type="button" className={item} onClick={() => choose('')}>
                {emptyLabel}
                {!value ? <CheckIcon aria-hidden="true" className="size-4 shrink-0" /> : null}
              </button>
            </li>
          ) : null}
          {offerTyped ? (
            <li>
              <button type="button" className={item} onClick={() => choose(typed)}>
                Use “{typed}”
              </button>
            </li>
          ) : null}
          {matches.map((zone) => (
            <li key={zone}>
              <button type="button" className={item} onClick={() => choose(zone)}>
                <span className="min-w-0 truncate">{zone.replaceAll('_', ' ')}</span>
                <span className="flex shrink-0 items-center gap-1.5 text-muted-foreground text-xs">
                  {offsets.get(zone)}
                  {zone === value ? (
                    <CheckIcon aria-hidden="true" className="size-4 text-foreground" />
                  ) : null}
                </span>
              </button>
            </li>
          ))}
          {matches.length === 0 && !offerTyped ? (
            <li className="px-2 py-1.5 text-muted-foreground text-sm">
              No time zone matches. Try a city, e.g. “Chicago”.
            </li>
          ) : null}
        </ul>
      </PopoverContent>
    </Popover>
  );
}
