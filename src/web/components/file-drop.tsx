/** A CSV file input with a drop zone: click to choose, or drop a file on it. */
import { FileUpIcon } from 'lucide-react';
import { useId, useState } from 'react';
import { cn } from '../lib/utils.ts';

export function FileDrop({
  onFile,
  disabled,
  error,
  label = 'CSV file',
}: {
  onFile: (file: File) => void;
  disabled?: boolean;
  error?: string | undefined;
  label?: string;
}) {
  const id = useId();
  const [over, setOver] = useState(false);
  return (
    <div className="grid gap-1.5">
      <label
        htmlFor={id}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          const file = e.dataTransfer.files[0];
          if (file && !disabled) onFile(file);
        }}
        className={cn(
          'flex cursor-pointer flex-col items-center gap-2 rounded-lg border-2 border-dashed px-4 py-8 text-center',
          'focus-within:outline-2 focus-within:outline-offset-2 focus-within:outline-ring',
          over ? 'border-primary bg-primary/5' : 'border-input hover:bg-muted/50',
          error && 'border-destructive',
          disabled && 'cursor-not-allowed opacity-60',
        )}
      >
        <FileUpIcon aria-hidden="true" className="size-8 text-muted-foreground" />
        <span className="font-medium text-sm">{label}</span>
        <span className="text-muted-foreground text-sm">
          Drop a .csv file here, or click to choose one. The first row names the columns; up to 100
          MB.
        </span>
        <input
          id={id}
          type="file"
          accept=".csv,text/csv"
          className="sr-only"
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) onFile(file);
            e.target.value = '';
          }}
        />
      </label>
      {error ? (
        <p id={`${id}-error`} role="alert" className="font-medium text-destructive text-xs">
          {error}
        </p>
      ) : null}
    </div>
  );
}
