/**
 * ClickHouse TabSeparated rows. We insert TSV rather than JSONEachRow because ClickHouse 18.16
 * cannot parse quoted decimals in JSON, and unquoted JSON numbers would pass through a JS number.
 * In TSV a decimal string goes to the server exactly as written.
 * https://clickhouse.com/docs/en/interfaces/formats#tabseparated
 */
/**
 * Numeric arrays (decimals, integers, booleans as 0/1) go unquoted (`[1.5,2]`): ClickHouse 18.16
 * reads no quoted number, in arrays either. A plain string array is quoted.
 */
export interface NumericArray {
  numbers: readonly string[];
}

export type TsvValue = string | number | bigint | null | readonly string[] | NumericArray;

export function tsvRow(values: readonly TsvValue[]): string {
  return `${values.map(tsvField).join('\t')}\n`;
}

function tsvField(value: TsvValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'object' && 'numbers' in value) return `[${value.numbers.join(',')}]`;
  if (Array.isArray(value)) return `[${value.map((item) => `'${escape(item).replace(/'/g, "\\'")}'`).join(',')}]`;
  return escape(String(value));
}

function escape(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}
