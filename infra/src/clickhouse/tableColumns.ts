/** A table's columns as its CREATE TABLE statement declares them, in order. */
export interface DeclaredTable {
  /** `database.table` */
  table: string;
  columns: Array<{ name: string; type: string }>;
}

/**
 * Reads the column list of a generated `CREATE TABLE IF NOT EXISTS db.t ( name Type, … ) ENGINE …`
 * statement (one column per line, as `audit ddl` writes them); null for any other statement.
 */
export function declaredTable(statement: string): DeclaredTable | null {
  const match = /^CREATE TABLE IF NOT EXISTS (\S+)\s*\(\n([\s\S]*?)\n\)\s*ENGINE/.exec(statement);
  if (!match) return null;
  const columns = match[2]!
    .split('\n')
    .map((line) => line.trim().replace(/,$/, ''))
    .filter(Boolean)
    .map((line) => {
      const space = line.indexOf(' ');
      return { name: line.slice(0, space), type: line.slice(space + 1) };
    });
  return { table: match[1]!, columns };
}

/**
 * The ALTERs that bring an existing table up to its declaration (`existing`: its columns' names and
 * types now). Schemas evolve compatibly: a new field has a default, so its column is added after its
 * predecessor; a type that changed (a record made nullable turns its columns Nullable) is modified,
 * which ClickHouse converts in place.
 */
export function alterColumnStatements(declared: DeclaredTable, existing: ReadonlyMap<string, string>): string[] {
  return declared.columns.flatMap(({ name, type }, i) => {
    const current = existing.get(name);
    if (current === type) return [];
    if (current !== undefined) return [`ALTER TABLE ${declared.table} MODIFY COLUMN ${name} ${type}`];
    const after = i === 0 ? ' FIRST' : ` AFTER ${declared.columns[i - 1]!.name}`;
    return [`ALTER TABLE ${declared.table} ADD COLUMN ${name} ${type}${i === 0 ? '' : after}`];
  });
}
