import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { listUsers } from '../db/user-repo';
import type { NewUserInput } from '../domain/user-input';

export const userKeys = { all: ['users'] as const };

export const useUsers = () => useQuery({ queryKey: userKeys.all, queryFn: listUsers });

export function useAddUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: NewUserInput) => (await import('../db/user-commands')).addUser(input, new Date().toISOString()),
    onSuccess: () => client.invalidateQueries({ queryKey: userKeys.all }),
  });
}
