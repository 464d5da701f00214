// The case list as the list page composes it (ids of the filter, narrowed by the
// search, then the rows): for tests that check what the list would show.
import { listCaseIds, listRows, searchCaseIds, type CaseListFilter, type CaseListItem } from '../../src/db/case-repo';

export async function listCases({ search, ...filter }: CaseListFilter & { search: string }): Promise<CaseListItem[]> {
  const [ids, matches] = await Promise.all([listCaseIds(filter), searchCaseIds(search)]);
  return listRows(matches ? ids.filter((id) => matches.has(id)) : ids, filter.today);
}
