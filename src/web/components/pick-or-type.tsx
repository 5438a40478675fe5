/**
 * A value picked from a list someone else provides (what a voice platform lists: its agents,
 * its numbers), or typed when the list is empty, cannot be had, or lacks it: a select with
 * "none" and "another one (type it)", and a text field with "Choose from the list". The value
 * is a react-hook-form field's; only whether it is being typed is this piece's own.
 */
import type * as React from 'react';
import { useState } from 'react';
import type { RefCallBack } from 'react-hook-form';
import { Button } from './ui/button.tsx';
import { Input } from './ui/input.tsx';
import { Select, type SelectOption } from './ui/select.tsx';

const NONE = '__none';
const OTHER = '__other';

/** The part of a react-hook-form Controller's `field` this piece drives (a text value). */
export interface TextField {
  name: string;
  value: string;
  onChange: (value: string) => void;
  onBlur: () => void;
  ref: RefCallBack;
}

/**
 * A select of the listed choices, with "none" and "another one (type it)"; a text field when
 * there are no choices or the value is not one of them.
 */
export function PickOrType({
  id,
  field,
  options,
  noneLabel,
  otherLabel,
  invalid,
  describedBy: described,
  input,
}: {
  id: string;
  field: TextField;
  options: SelectOption[];
  noneLabel: string;
  otherLabel: string;
  invalid: boolean;
  describedBy: string | undefined;
  input: React.ComponentProps<typeof Input>;
}) {
  const value = field.value;
  // Typing chosen by hand; a value that is not one of the choices is shown typed too.
  const [typing, setTyping] = useState(false);
  const known = value === '' || options.some((o) => o.value === value);
  if (options.length > 0 && !typing && known) {
    return (
      <Select
        id={id}
        name={field.name}
        value={value === '' ? NONE : value}
        onValueChange={(next) => {
          if (next === OTHER) {
            setTyping(true);
            field.onChange('');
          } else field.onChange(next === NONE ? '' : next);
        }}
        options={[
          { value: NONE, label: noneLabel },
          ...options,
          { value: OTHER, label: otherLabel },
        ]}
        invalid={invalid}
        describedBy={described}
      />
    );
  }
  return (
    <div className="flex min-w-0 flex-wrap items-center gap-2">
      <Input
        id={id}
        autoComplete="off"
        spellCheck={false}
        {...input}
        className={input.className ?? 'min-w-0 flex-1'}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={described}
        name={field.name}
        ref={field.ref}
        value={value}
        onChange={(e) => field.onChange(e.target.value)}
        onBlur={field.onBlur}
      />
      {options.length > 0 ? (
        <Button
          type="button"
          variant="link"
          size="sm"
          className="px-0"
          onClick={() => {
            setTyping(false);
            if (!options.some((o) => o.value === value)) field.onChange('');
          }}
        >
          Choose from the list
        </Button>
      ) : null}
    </div>
  );
}
