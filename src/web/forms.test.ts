/**
 * One way to build a form (docs/ARCHITECTURE.md, "Where a new thing goes"): a form's fields live
 * in react-hook-form, checked by the contracts' zod schemas — never in `useState`. Checked on the
 * source of every screen: a file that renders a <form> with fields calls `useForm` with a zod
 * resolver, and no `useState` setter is called from a control's change handler, except in the
 * few places listed below, where the state is the screen's and not a field that is submitted.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** State set from a control that is not a submitted field: file → setter → why. */
const SCREEN_STATE: Record<string, Record<string, string>> = {
  'src/web/components/search-input.tsx': {
    setText: 'a list search box: the text goes to the URL as it is typed, nothing is submitted',
  },
  'src/web/components/time-zone-picker.tsx': {
    setText: 'the filter of the picker’s list of zones; the chosen zone is the field',
  },
  'src/web/features/follow-ups/components/follow-up-filters.tsx': {
    setText: 'the filter of a filter’s list of choices; the filters live in the URL',
  },
  'src/web/components/pick-or-type.tsx': {
    setTyping: 'whether a choice is picked from the list or typed; the value is the form’s field',
  },
  'src/web/components/calling-window-editor.tsx': {
    setAdding: 'the date being typed before “Add”; the closed dates are the form’s value',
  },
};

function sources(): string[] {
  return readdirSync(path.join(ROOT, 'src/web'), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.tsx'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)));
}

const FIELD = /<(Input|Select|Textarea|Checkbox|TimeZonePicker|\w+Editor)\b/;

/** Files rendering a <form> with fields that do not build it with react-hook-form and zod. */
function formsWithoutHookForm(files: Record<string, string>): string[] {
  return Object.entries(files)
    .filter(([, text]) => text.includes('<form') && FIELD.test(text))
    .filter(([, text]) => !/\buseForm\s*[<(]/.test(text) || !text.includes('zodResolver('))
    .map(([file]) => file);
}

/** `useState` setters called from a control's change handler, as "file: setter". */
function fieldsInState(
  files: Record<string, string>,
  allowed: Record<string, Record<string, string>> = {},
): string[] {
  const found: string[] = [];
  for (const [file, text] of Object.entries(files)) {
    const setters = [...text.matchAll(/const \[\s*\w+\s*,\s*(set\w+)\s*\]\s*=\s*useState\b/g)].map(
      (m) => m[1] as string,
    );
    for (const setter of setters) {
      const handler = new RegExp(
        `on(?:Change|ValueChange|CheckedChange)=\\{(?:${setter}\\}|[^}]*\\b${setter}\\()`,
      );
      if (handler.test(text) && !allowed[file]?.[setter]) found.push(`${file}: ${setter}`);
    }
  }
  return found;
}

describe('forms', () => {
  const files = Object.fromEntries(
    sources().map((f) => [f, readFileSync(path.join(ROOT, f), 'utf8')]),
  );

  it('finds what it forbids (the check itself works)', () => {
    const kept = `const [name, setName] = useState('');
      return <form><Input value={name} onChange={(e) => setName(e.target.value)} /></form>;`;
    const direct = `const [zone, setZone] = useState('');
      return <form><TimeZonePicker value={zone} onChange={setZone} /></form>;`;
    expect(fieldsInState({ 'a.tsx': kept, 'b.tsx': direct })).toEqual([
      'a.tsx: setName',
      'b.tsx: setZone',
    ]);
    expect(formsWithoutHookForm({ 'a.tsx': kept })).toEqual(['a.tsx']);
    const hooked = `const form = useForm({ resolver: zodResolver(Body) });
      return <form><Input {...form.register('name')} /></form>;`;
    expect(formsWithoutHookForm({ 'c.tsx': hooked })).toEqual([]);
    expect(fieldsInState({ 'c.tsx': hooked })).toEqual([]);
  });

  it('every form with fields is built with react-hook-form and a zod resolver', () => {
    expect(formsWithoutHookForm(files)).toEqual([]);
  });

  it('no field is kept in useState (only the screen state listed above)', () => {
    expect(fieldsInState(files, SCREEN_STATE)).toEqual([]);
  });

  it('the screen state listed above still exists (the list stays honest)', () => {
    for (const [file, setters] of Object.entries(SCREEN_STATE)) {
      for (const setter of Object.keys(setters)) expect(files[file]).toContain(setter);
    }
  });
});
