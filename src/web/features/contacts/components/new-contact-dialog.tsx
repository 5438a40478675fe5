/**
 * "New contact" on /contacts: the fields of POST /api/contacts. Checked here for what is
 * obvious (a phone is required, an email looks like one); the server decides the rest (the
 * phone's format and uniqueness, the time zone) and its reasons go next to the fields.
 * On success, the new contact's page opens.
 */
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import type * as React from 'react';
import { useId, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { toast } from 'sonner';
import { z } from 'zod';
import { type CreateContact, Region } from '../../../../contracts/contacts.contract.ts';
import { FormError } from '../../../components/form-refusal.tsx';
import { TimeZonePicker } from '../../../components/time-zone-picker.tsx';
import { Button } from '../../../components/ui/button.tsx';
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '../../../components/ui/dialog.tsx';
import { describedBy, Field } from '../../../components/ui/field.tsx';
import { Input } from '../../../components/ui/input.tsx';
import { ApiError, api, errorMessage } from '../../../lib/api.ts';
import { type ContactDetail, contactKeys } from '../api.ts';

const text = (max: number, what: string) =>
  z.string().trim().max(max, `The ${what} can be at most ${max} characters.`);

const FormSchema = z.object({
  firstName: text(100, 'first name'),
  lastName: text(100, 'last name'),
  phone: z.string().trim().min(1, 'Give a phone number.').max(64, 'Not a valid phone number.'),
  email: z.union([z.literal(''), z.email('Not a valid email address.').max(320)], {
    error: 'Not a valid email address.',
  }),
  company: text(200, 'company'),
  timezone: z.string(),
  region: z.union([z.literal(''), Region], {
    error: 'Give an ISO 3166-2 region such as US-FL or CA-ON.',
  }),
});
type FormValues = z.infer<typeof FormSchema>;
type FieldName = keyof FormValues;
const FIELDS: FieldName[] = [
  'firstName',
  'lastName',
  'phone',
  'email',
  'company',
  'timezone',
  'region',
];

const EMPTY: FormValues = {
  firstName: '',
  lastName: '',
  phone: '',
  email: '',
  company: '',
  timezone: '',
  region: '',
};

const orNull = (value: string) => (value.trim() === '' ? null : value.trim());

function createContact(values: FormValues) {
  const body: CreateContact = {
    firstName: orNull(values.firstName),
    lastName: orNull(values.lastName),
    phone: values.phone.trim(),
    email: orNull(values.email),
    company: orNull(values.company),
    timezone: orNull(values.timezone),
    region: orNull(values.region),
  };
  return api<ContactDetail>('/contacts', { method: 'POST', body });
}

/** The id in "This phone number already belongs to contact <id>." */
const OWNER_ID = /contact ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;

function NewContactForm({ onDone }: { onDone: () => void }) {
  const uid = useId();
  const fid = (name: FieldName) => `${uid}-${name}`;
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [formError, setFormError] = useState<string | null>(null);
  const [owner, setOwner] = useState<string | null>(null);
  const form = useForm<FormValues>({
    resolver: zodResolver(FormSchema),
    defaultValues: EMPTY,
    mode: 'onSubmit',
    reValidateMode: 'onChange',
  });
  const { errors } = form.formState;

  const mutation = useMutation({
    mutationFn: createContact,
    onSuccess: async (contact) => {
      toast.success('Contact created', { description: `${contact.name}, ${contact.phone}` });
      onDone();
      await queryClient.invalidateQueries({ queryKey: contactKeys.all });
      await navigate({ to: '/contacts/$id', params: { id: contact.id } });
    },
    onError: (error) => {
      if (!(error instanceof ApiError)) {
        setFormError(errorMessage(error));
        return;
      }
      const leftovers: string[] = [];
      let first = true;
      for (const problem of error.errors) {
        const field = problem.path.split('.')[0] as FieldName;
        if (FIELDS.includes(field)) {
          form.setError(
            field,
            { type: 'server', message: problem.message },
            { shouldFocus: first },
          );
          first = false;
          if (field === 'phone') setOwner(OWNER_ID.exec(problem.message)?.[1] ?? null);
        } else {
          leftovers.push(problem.message);
        }
      }
      setFormError(
        leftovers.length ? leftovers.join(' ') : error.errors.length ? null : error.detail,
      );
    },
  });

  const onSubmit = form.handleSubmit((values) => {
    setFormError(null);
    setOwner(null);
    mutation.mutate(values);
  });

  const input = (name: Exclude<FieldName, 'timezone'>, props: React.ComponentProps<'input'>) => (
    <Input
      id={fid(name)}
      aria-invalid={errors[name] ? true : undefined}
      aria-describedby={describedBy(fid(name), { error: !!errors[name] })}
      {...props}
      {...form.register(name)}
    />
  );

  return (
    <form noValidate onSubmit={onSubmit} className="grid gap-4" aria-busy={mutation.isPending}>
      <FormError message={formError} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={fid('firstName')} label="First name" error={errors.firstName?.message}>
          {input('firstName', { autoComplete: 'off', maxLength: 100 })}
        </Field>
        <Field id={fid('lastName')} label="Last name" error={errors.lastName?.message}>
          {input('lastName', { autoComplete: 'off', maxLength: 100 })}
        </Field>
      </div>
      <Field
        id={fid('phone')}
        label="Phone"
        error={errors.phone?.message}
        hint={
          owner ? (
            <Link
              to="/contacts/$id"
              params={{ id: owner }}
              className="font-medium text-primary underline underline-offset-4"
              onClick={onDone}
            >
              Open the contact with this number
            </Link>
          ) : (
            "International format (+44 20 7946 0018), or a national number of the workspace's country."
          )
        }
      >
        <Input
          id={fid('phone')}
          type="tel"
          autoComplete="off"
          maxLength={64}
          placeholder="+1 212 555 0100"
          aria-invalid={errors.phone ? true : undefined}
          aria-describedby={describedBy(fid('phone'), { hint: true, error: !!errors.phone })}
          {...form.register('phone')}
        />
      </Field>
      <Field id={fid('email')} label="Email" error={errors.email?.message}>
        {input('email', { type: 'email', autoComplete: 'off', maxLength: 320 })}
      </Field>
      <Field id={fid('company')} label="Company" error={errors.company?.message}>
        {input('company', { autoComplete: 'off', maxLength: 200 })}
      </Field>
      <Field
        id={fid('timezone')}
        label="Time zone"
        error={errors.timezone?.message}
        hint="Used for calling windows. Without one, it is inferred from the phone number."
      >
        <Controller
          control={form.control}
          name="timezone"
          render={({ field }) => (
            <TimeZonePicker
              id={fid('timezone')}
              value={field.value}
              onChange={field.onChange}
              invalid={!!errors.timezone}
              describedBy={describedBy(fid('timezone'), { hint: true, error: !!errors.timezone })}
            />
          )}
        />
      </Field>
      <Field
        id={fid('region')}
        label="Region"
        error={errors.region?.message}
        hint="State or province as ISO 3166-2 (US-FL, CA-ON): its calling rules apply, as do those of the phone's area code."
      >
        {input('region', { autoComplete: 'off', maxLength: 6, placeholder: 'US-FL' })}
      </Field>
      <DialogFooter className="pt-1">
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button type="submit" disabled={mutation.isPending}>
          {mutation.isPending ? 'Creating…' : 'Create contact'}
        </Button>
      </DialogFooter>
    </form>
  );
}

export function NewContactDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>New contact</DialogTitle>
          <DialogDescription>Only the phone number is required.</DialogDescription>
        </DialogHeader>
        {open ? <NewContactForm onDone={() => onOpenChange(false)} /> : null}
      </DialogContent>
    </Dialog>
  );
}
