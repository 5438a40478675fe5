/**
 * The frequency caps as an editable list (Settings › Compliance and a campaign's compliance
 * card): at most `max` calls or SMS per contact in `periodHours`, inside a react-hook-form form
 * whose values hold `frequencyCaps` (the contracts' FrequencyCapsInput checks them).
 */
import { PlusIcon, XIcon } from 'lucide-react';
import { useId } from 'react';
import { Controller, type UseFormReturn, useFieldArray } from 'react-hook-form';
import type { FrequencyCap } from '../../core/frequency-caps.ts';
import { Button } from './ui/button.tsx';
import { Input } from './ui/input.tsx';
import { Select } from './ui/select.tsx';

export interface FrequencyCapsValues {
  frequencyCaps: FrequencyCap[];
}

const CHANNEL_OPTIONS = [
  { value: 'call', label: 'Calls' },
  { value: 'sms', label: 'SMS' },
];

export function FrequencyCapsEditor({
  form,
  canEdit,
  hint,
  empty,
}: {
  form: UseFormReturn<FrequencyCapsValues>;
  canEdit: boolean;
  hint: string;
  empty: string;
}) {
  const uid = useId();
  const caps = useFieldArray({ control: form.control, name: 'frequencyCaps' });
  const { errors } = form.formState;
  return (
    <fieldset className="grid gap-2" aria-describedby={`${uid}-caps-hint`}>
      <legend className="mb-1 font-medium text-sm">Frequency caps</legend>
      <p id={`${uid}-caps-hint`} className="text-muted-foreground text-xs">
        {hint}
      </p>
      {caps.fields.length === 0 ? (
        <p className="text-sm" data-testid="no-caps">
          {empty}
        </p>
      ) : (
        <ol className="grid gap-2" aria-label="Frequency caps">
          {caps.fields.map((cap, i) => {
            const capErrors = errors.frequencyCaps?.[i];
            return (
              <li key={cap.id} className="grid gap-1" data-testid="frequency-cap">
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <span>At most</span>
                  <Input
                    type="number"
                    inputMode="numeric"
                    min={1}
                    className="w-20"
                    disabled={!canEdit}
                    aria-label={`Cap ${i + 1}: most attempts`}
                    aria-invalid={capErrors?.max ? true : undefined}
                    {...form.register(`frequencyCaps.${i}.max`, { valueAsNumber: true })}
                  />
                  <Controller
                    control={form.control}
                    name={`frequencyCaps.${i}.channel`}
                    render={({ field }) => (
                      <Select
                        ariaLabel={`Cap ${i + 1}: channel`}
                        value={field.value}
                        onValueChange={field.onChange}
                        options={CHANNEL_OPTIONS}
                        disabled={!canEdit}
                        className="w-24"
                      />
                    )}
                  />
                  <span>in</span>
                  <Input
                    type="number"
                    inputMode="numeric"
                    min={1}
                    max={720}
                    className="w-20"
                    disabled={!canEdit}
                    aria-label={`Cap ${i + 1}: period in hours`}
                    aria-invalid={capErrors?.periodHours ? true : undefined}
                    {...form.register(`frequencyCaps.${i}.periodHours`, { valueAsNumber: true })}
                  />
                  <span>hours</span>
                  {canEdit ? (
                    <Button
                      type="button"
                      variant="ghost"
                      size="icon"
                      aria-label={`Remove cap ${i + 1}`}
                      onClick={() => caps.remove(i)}
                    >
                      <XIcon aria-hidden="true" />
                    </Button>
                  ) : null}
                </div>
                {capErrors?.max || capErrors?.periodHours || capErrors?.channel ? (
                  <p className="font-medium text-destructive text-xs" role="alert">
                    {capErrors.max?.message ??
                      capErrors.periodHours?.message ??
                      capErrors.channel?.message}
                  </p>
                ) : null}
              </li>
            );
          })}
        </ol>
      )}
      {errors.frequencyCaps?.root?.message || errors.frequencyCaps?.message ? (
        <p className="font-medium text-destructive text-xs" role="alert">
          {errors.frequencyCaps?.root?.message ?? errors.frequencyCaps?.message}
        </p>
      ) : null}
      {canEdit && caps.fields.length < 20 ? (
        <div className="flex flex-wrap gap-2">
          <Button
            type="button"
            variant="outline"
            size="sm"
            onClick={() => caps.append({ channel: 'call', max: 7, periodHours: 168 })}
          >
            <PlusIcon aria-hidden="true" />
            Add a cap
          </Button>
        </div>
      ) : null}
    </fieldset>
  );
}
