import { useState } from 'react';
import type { UseMutationResult } from '@tanstack/react-query';
import type { FieldValues, UseFormReturn } from 'react-hook-form';

type Save<I> = UseMutationResult<unknown, Error, { input: I; id: string | null }>;

/**
 * The add-or-change flow shared by the printer and material forms: save, say what
 * was saved, and clear the form when it was an addition.
 */
export function useLabItemSubmit<I extends FieldValues>(
  form: UseFormReturn<I>,
  save: Save<I>,
  editing: { id: string } | null,
  blank: I,
  describe: (input: I) => string,
  onDone?: () => void,
) {
  const [saved, setSaved] = useState<string | null>(null);
  const submit = form.handleSubmit((input) => {
    setSaved(null);
    save.mutate(
      { input, id: editing?.id ?? null },
      {
        onSuccess: () => {
          setSaved(`${describe(input)} ${editing ? 'saved' : 'added'}`);
          if (!editing) form.reset(blank);
          onDone?.();
        },
      },
    );
  });
  return { submit, saved };
}
