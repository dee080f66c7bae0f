import { get_dmmf } from "@prisma/prisma-schema-wasm";
import pg from "pg";

/**
 * Compares a database built by our migrations with what schema.prisma declares: every model's
 * table, each column's type, nullability and whether it has a database default, enums, primary
 * keys, unique and plain indexes, and foreign keys with their referential actions. Returns the
 * differences as sentences; none means the two agree. (Prisma's own `migrate diff` needs the
 * schema engine binary, which cannot be downloaded here: STACK.md, trap 1.)
 */

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: "scalar" | "enum" | "object" | "unsupported";
  type: string;
  isList: boolean;
  isRequired: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
  relationOnUpdate?: string;
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}
interface DmmfIndex {
  model: string;
  type: "id" | "unique" | "normal" | "fulltext";
  fields: { name: string }[];
}
interface Dmmf {
  datamodel: {
    models: DmmfModel[];
    enums: { name: string; dbName: string | null; values: { name: string; dbName: string | null }[] }[];
    indexes: DmmfIndex[];
  };
}

const SCALAR_UDT: Record<string, string> = {
  String: "text",
  Int: "int4",
  BigInt: "int8",
  Boolean: "bool",
  DateTime: "timestamp",
  Float: "float8",
  Decimal: "numeric",
  Json: "jsonb",
  Bytes: "bytea",
};
const NATIVE_UDT: Record<string, string> = {
  Text: "text", VarChar: "varchar", Char: "bpchar", Uuid: "uuid", Integer: "int4", SmallInt: "int2",
  BigInt: "int8", DoublePrecision: "float8", Real: "float4", Decimal: "numeric", Money: "money",
  Timestamp: "timestamp", Timestamptz: "timestamptz", Date: "date", Time: "time", Timetz: "timetz",
  Boolean: "bool", Json: "json", JsonB: "jsonb", ByteA: "bytea", Inet: "inet", Citext: "citext", Xml: "xml",
};
// Defaults Prisma's client fills in; they have no DEFAULT in the database.
const CLIENT_DEFAULTS = new Set(["cuid", "uuid", "nanoid", "ulid"]);
const FK_ACTION: Record<string, string> = { a: "NoAction", r: "Restrict", c: "Cascade", n: "SetNull", d: "SetDefault" };

export interface ExpectedSchema {
  tables: Map<string, Map<string, { udt: string; nullable: boolean; hasDefault: boolean }>>;
  enums: Map<string, string[]>;
  indexes: Set<string>;
  foreignKeys: Set<string>;
}

export function expectedFromPrismaSchema(prismaSchema: string): ExpectedSchema {
  const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema }))) as Dmmf;
  const enumDbName = new Map(dmmf.datamodel.enums.map((e) => [e.name, e.dbName ?? e.name]));
  const models = new Map(dmmf.datamodel.models.map((m) => [m.name, m]));
  const tableOf = (model: string) => models.get(model)!.dbName ?? model;
  const columnOf = (model: string, field: string) => {
    const f = models.get(model)!.fields.find((x) => x.name === field)!;
    return f.dbName ?? f.name;
  };

  const tables: ExpectedSchema["tables"] = new Map();
  const foreignKeys = new Set<string>();
  for (const model of dmmf.datamodel.models) {
    const columns = new Map<string, { udt: string; nullable: boolean; hasDefault: boolean }>();
    for (const field of model.fields) {
      if (field.kind === "object") {
        if (field.relationFromFields?.length) {
          const onDelete = field.relationOnDelete ?? (field.isRequired ? "Restrict" : "SetNull");
          const onUpdate = field.relationOnUpdate ?? "Cascade";
          foreignKeys.add(
            `${tableOf(model.name)}(${field.relationFromFields.map((f) => columnOf(model.name, f)).join(",")}) -> ` +
              `${tableOf(field.type)}(${(field.relationToFields ?? []).map((f) => columnOf(field.type, f)).join(",")}) ` +
              `ON DELETE ${onDelete} ON UPDATE ${onUpdate}`,
          );
        }
        continue;
      }
      const base =
        field.kind === "enum"
          ? enumDbName.get(field.type)!
          : field.nativeType
            ? NATIVE_UDT[field.nativeType[0]] ?? field.nativeType[0].toLowerCase()
            : SCALAR_UDT[field.type] ?? field.type.toLowerCase();
      const defaultName = typeof field.default === "object" && field.default !== null ? (field.default as { name: string }).name : undefined;
      columns.set(field.dbName ?? field.name, {
        udt: field.isList ? `_${base}` : base,
        // Prisma creates scalar lists without NOT NULL.
        nullable: field.isList ? true : !field.isRequired,
        hasDefault: field.hasDefaultValue && !(defaultName && CLIENT_DEFAULTS.has(defaultName)),
      });
    }
    tables.set(tableOf(model.name), columns);
  }

  const indexes = new Set(
    dmmf.datamodel.indexes
      .filter((i) => i.type !== "fulltext")
      .map((i) => {
        const kind = i.type === "id" ? "primary key" : i.type === "unique" ? "unique" : "index";
        return `${kind} ${tableOf(i.model)}(${i.fields.map((f) => columnOf(i.model, f.name)).join(",")})`;
      }),
  );
  const enums = new Map(dmmf.datamodel.enums.map((e) => [e.dbName ?? e.name, e.values.map((v) => v.dbName ?? v.name)]));
  return { tables, enums, indexes, foreignKeys };
}

export async function actualFromDatabase(connectionString: string): Promise<ExpectedSchema> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const columns = await client.query<{ table_name: string; column_name: string; udt_name: string; is_nullable: string; column_default: string | null }>(
      `SELECT c.table_name, c.column_name, c.udt_name, c.is_nullable, c.column_default
         FROM information_schema.columns c
         JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
        WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name <> '_prisma_migrations'`,
    );
    const tables: ExpectedSchema["tables"] = new Map();
    for (const row of columns.rows) {
      if (!tables.has(row.table_name)) tables.set(row.table_name, new Map());
      tables.get(row.table_name)!.set(row.column_name, {
        udt: row.udt_name,
        nullable: row.is_nullable === "YES",
        hasDefault: row.column_default !== null,
      });
    }
    const enumRows = await client.query<{ name: string; value: string }>(
      `SELECT t.typname AS name, e.enumlabel AS value FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
        JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = current_schema() ORDER BY t.typname, e.enumsortorder`,
    );
    const enums = new Map<string, string[]>();
    for (const row of enumRows.rows) enums.set(row.name, [...(enums.get(row.name) ?? []), row.value]);

    const indexRows = await client.query<{ table_name: string; columns: string[]; is_unique: boolean; is_primary: boolean }>(
      `SELECT t.relname AS table_name, i.indisunique AS is_unique, i.indisprimary AS is_primary,
              array(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS columns
         FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = current_schema() AND t.relname <> '_prisma_migrations' AND t.relkind = 'r'`,
    );
    const indexes = new Set(
      indexRows.rows.map((r) => `${r.is_primary ? "primary key" : r.is_unique ? "unique" : "index"} ${r.table_name}(${r.columns.join(",")})`),
    );

    const fkRows = await client.query<{ from_table: string; from_cols: string[]; to_table: string; to_cols: string[]; del: string; upd: string }>(
      `SELECT src.relname AS from_table, dst.relname AS to_table, c.confdeltype AS del, c.confupdtype AS upd,
              array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS from_cols,
              array(SELECT a.attname FROM unnest(c.confkey) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum ORDER BY k.ord)::text[] AS to_cols
         FROM pg_constraint c JOIN pg_class src ON src.oid = c.conrelid JOIN pg_class dst ON dst.oid = c.confrelid
         JOIN pg_namespace n ON n.oid = src.relnamespace
        WHERE c.contype = 'f' AND n.nspname = current_schema()`,
    );
    const foreignKeys = new Set(
      fkRows.rows.map(
        (r) => `${r.from_table}(${r.from_cols.join(",")}) -> ${r.to_table}(${r.to_cols.join(",")}) ON DELETE ${FK_ACTION[r.del]} ON UPDATE ${FK_ACTION[r.upd]}`,
      ),
    );
    return { tables, enums, indexes, foreignKeys };
  } finally {
    await client.end();
  }
}

export function diffSchemas(expected: ExpectedSchema, actual: ExpectedSchema): string[] {
  const out: string[] = [];
  for (const [table, columns] of expected.tables) {
    const actualColumns = actual.tables.get(table);
    if (!actualColumns) {
      out.push(`table ${table} is in schema.prisma but no migration creates it`);
      continue;
    }
    for (const [column, want] of columns) {
      const got = actualColumns.get(column);
      if (!got) {
        out.push(`column ${table}.${column} is in schema.prisma but not in the migrated database`);
        continue;
      }
      if (got.udt !== want.udt) out.push(`column ${table}.${column} is ${got.udt} in the database, ${want.udt} in schema.prisma`);
      if (got.nullable !== want.nullable) {
        out.push(`column ${table}.${column} is ${got.nullable ? "nullable" : "NOT NULL"} in the database, ${want.nullable ? "optional" : "required"} in schema.prisma`);
      }
      if (got.hasDefault !== want.hasDefault) {
        out.push(`column ${table}.${column} ${got.hasDefault ? "has" : "has no"} default in the database, ${want.hasDefault ? "has" : "has no"} database default in schema.prisma`);
      }
    }
    for (const column of actualColumns.keys()) {
      if (!columns.has(column)) out.push(`column ${table}.${column} is in the database but not in schema.prisma`);
    }
  }
  for (const table of actual.tables.keys()) {
    if (!expected.tables.has(table)) out.push(`table ${table} is in the database but not in schema.prisma`);
  }
  for (const [name, values] of expected.enums) {
    const got = actual.enums.get(name);
    if (!got) out.push(`enum ${name} is in schema.prisma but not in the database`);
    else if (got.join(",") !== values.join(",")) out.push(`enum ${name} is (${got.join(", ")}) in the database, (${values.join(", ")}) in schema.prisma`);
  }
  for (const name of actual.enums.keys()) if (!expected.enums.has(name)) out.push(`enum ${name} is in the database but not in schema.prisma`);
  for (const index of expected.indexes) if (!actual.indexes.has(index)) out.push(`${index} is in schema.prisma but not in the database`);
  for (const index of actual.indexes) if (!expected.indexes.has(index)) out.push(`${index} is in the database but not in schema.prisma`);
  for (const fk of expected.foreignKeys) if (!actual.foreignKeys.has(fk)) out.push(`foreign key ${fk} is in schema.prisma but not in the database`);
  for (const fk of actual.foreignKeys) if (!expected.foreignKeys.has(fk)) out.push(`foreign key ${fk} is in the database but not in schema.prisma`);
  return out;
}
