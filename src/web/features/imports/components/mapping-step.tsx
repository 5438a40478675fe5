/**
 * "Map columns": each CSV column → a field, a custom field (with its key) or "Don't import".
 * The phone column is required; problems the server finds are shown by their column.
 */
import { useId } from 'react';
import {
  CUSTOM_PREFIX,
  IMPORT_FIELD_LABELS,
  IMPORT_FIELDS,
  type ImportKind,
  type ImportMapping,
} from '../../../../core/import-mapping.ts';
import { Input } from '../../../components/ui/input.tsx';
import { Select } from '../../../components/ui/select.tsx';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '../../../components/ui/table.tsx';

const SKIP = 'skip';
const CUSTOM = 'custom';

export interface ColumnChoice {
  choice: string;
  key: string;
}

export type ColumnChoices = Record<string, ColumnChoice>;

/** The choices shown for a mapping (columns it leaves out are "Don't import"). */
export function choicesFrom(headers: string[], mapping: ImportMapping): ColumnChoices {
  return Object.fromEntries(
    headers.map((h) => {
      const field = mapping[h];
      if (!field) return [h, { choice: SKIP, key: h }];
      if (field.startsWith(CUSTOM_PREFIX)) {
        return [h, { choice: CUSTOM, key: field.slice(CUSTOM_PREFIX.length) }];
      }
      return [h, { choice: field, key: h }];
    }),
  );
}

export function mappingFrom(choices: ColumnChoices): ImportMapping {
  const mapping: ImportMapping = {};
  for (const [column, { choice, key }] of Object.entries(choices)) {
    if (choice === SKIP) continue;
    mapping[column] = choice === CUSTOM ? `${CUSTOM_PREFIX}${key.trim()}` : choice;
  }
  return mapping;
}

export function MappingStep({
  kind,
  headers,
  sample,
  choices,
  onChange,
  errors,
}: {
  kind: ImportKind;
  headers: string[];
  sample: string[][] | undefined;
  choices: ColumnChoices;
  onChange: (choices: ColumnChoices) => void;
  errors: Record<string, string>;
}) {
  const uid = useId();
  const options = [
    { value: SKIP, label: 'Don’t import' },
    ...IMPORT_FIELDS[kind].map((f) => ({
      value: f,
      label: f === 'phone' ? 'Phone (required)' : IMPORT_FIELD_LABELS[f],
    })),
    ...(kind === 'contacts' ? [{ value: CUSTOM, label: 'Custom field' }] : []),
  ];
  const set = (column: string, next: Partial<ColumnChoice>) =>
    onChange({ ...choices, [column]: { ...choices[column]!, ...next } });

  return (
    <Table label="Column mapping">
      <TableHeader>
        <TableRow className="hover:bg-transparent">
          <TableHead>Column</TableHead>
          <TableHead className="hidden sm:table-cell">Example</TableHead>
          <TableHead>Import as</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {headers.map((column, i) => {
          const id = `${uid}-${i}`;
          const choice = choices[column] ?? { choice: SKIP, key: column };
          const error = errors[column];
          const example = sample?.find((row) => row[i]?.trim())?.[i];
          return (
            <TableRow key={column} data-column={column}>
              <TableCell className="font-medium">
                <label htmlFor={id}>{column}</label>
              </TableCell>
              <TableCell className="hidden max-w-56 truncate text-muted-foreground sm:table-cell">
                {example ?? '—'}
              </TableCell>
              <TableCell className="min-w-56">
                <div className="grid gap-1.5">
                  <Select
                    id={id}
                    value={choice.choice}
                    onValueChange={(value) => set(column, { choice: value })}
                    options={options}
                    invalid={!!error}
                    describedBy={error ? `${id}-error` : undefined}
                  />
                  {choice.choice === CUSTOM ? (
                    <Input
                      aria-label={`Custom field name for ${column}`}
                      value={choice.key}
                      maxLength={100}
                      onChange={(e) => set(column, { key: e.target.value })}
                    />
                  ) : null}
                  {error ? (
                    <p
                      id={`${id}-error`}
                      role="alert"
                      className="font-medium text-destructive text-xs"
                    >
                      {error}
                    </p>
                  ) : null}
                </div>
              </TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
