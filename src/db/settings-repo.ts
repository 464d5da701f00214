// Device identity, case-number counters and the CPT code table.
import { DEFAULT_CODE_TABLE, type CodeTable } from '../domain/cpt';
import { db } from './database';

const DEVICE = 'device';
const CODE_TABLE = 'codeTable';

type DeviceSetting = { code: string; counters: Record<string, number> };

function newDeviceCode(): string {
  const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(3));
  return Array.from(bytes, (b) => letters[b % letters.length]).join('');
}

/**
 * Next human-readable case number, unique across tablets: year, this device's
 * random code, and a per-year sequence. Call inside a transaction that includes settings.
 */
export async function nextCaseNumber(year: string): Promise<string> {
  const row = await db.settings.get(DEVICE);
  const device = (row?.value as DeviceSetting | undefined) ?? { code: newDeviceCode(), counters: {} };
  const seq = (device.counters[year] ?? 0) + 1;
  await db.settings.put({ key: DEVICE, value: { ...device, counters: { ...device.counters, [year]: seq } } });
  return `PP-${year}-${device.code}-${String(seq).padStart(4, '0')}`;
}

export async function getCodeTable(): Promise<CodeTable> {
  const row = await db.settings.get(CODE_TABLE);
  return (row?.value as CodeTable | undefined) ?? DEFAULT_CODE_TABLE;
}

export async function saveCodeTable(table: CodeTable): Promise<void> {
  await db.settings.put({ key: CODE_TABLE, value: table });
}
