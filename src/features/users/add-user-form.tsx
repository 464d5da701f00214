import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import { ROLE_LABELS, type Role } from '../../domain/case';
import { newUserSchema, type NewUserInput } from '../../domain/user-input';
import { useAddUser } from '../../queries/user-queries';
import { Field } from '../../ui/field';
import { errorMessage } from '../../ui/format';

const ROLES: Role[] = ['technician', 'radiologist', 'admin'];

export function AddUserForm({ onAdded }: { onAdded: (id: string) => void }) {
  const add = useAddUser();
  const { register, handleSubmit, formState } = useForm<NewUserInput>({
    resolver: zodResolver(newUserSchema),
    defaultValues: { name: '', roles: [] },
  });
  const submit = handleSubmit(async (values) => {
    const row = await add.mutateAsync(values);
    onAdded(row.id);
  });
  return (
    <form onSubmit={(e) => void submit(e)} noValidate aria-label="Add a person">
      <Field label="Name as printed on signatures" error={formState.errors.name?.message}>
        {({ id, describedBy, invalid }) => <input id={id} aria-describedby={describedBy} aria-invalid={invalid} autoComplete="off" {...register('name')} />}
      </Field>
      <fieldset className="field" aria-describedby={formState.errors.roles ? 'roles-error' : undefined}>
        <legend className="label">Roles</legend>
        {ROLES.map((r) => (
          <label key={r} className="check">
            <input type="checkbox" value={r} {...register('roles')} />
            {ROLE_LABELS[r]}
          </label>
        ))}
        {formState.errors.roles && <span id="roles-error" className="field-error" role="alert">{formState.errors.roles.message}</span>}
      </fieldset>
      {add.error && <p className="field-error" role="alert">{errorMessage(add.error)}</p>}
      <button type="submit" className="btn primary" disabled={formState.isSubmitting}>Add person</button>
    </form>
  );
}
