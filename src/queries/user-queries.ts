import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { addUser, listUsers, type NewUserInput } from '../db/user-repo';

export const userKeys = { all: ['users'] as const };

export const useUsers = () => useQuery({ queryKey: userKeys.all, queryFn: listUsers });

export function useAddUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: NewUserInput) => addUser(input, new Date().toISOString()),
    onSuccess: () => client.invalidateQueries({ queryKey: userKeys.all }),
  });
}
