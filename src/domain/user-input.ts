import { z } from './zod';

export const newUserSchema = z.object({
  name: z.string().trim().min(2, 'Enter the name as it should print on signatures').max(80, 'At most 80 characters'),
  roles: z.array(z.enum(['technician', 'radiologist', 'admin'])).min(1, 'Choose at least one role'),
});
export type NewUserInput = z.infer<typeof newUserSchema>;
