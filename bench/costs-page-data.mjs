// A year of ECR cost for 100 linked accounts, written straight into a migrated database with SQL
// (no sandbox, no collection): what the Costs page reads after a year of daily collections.
// Shared by bench/costs-page.mjs (over HTTP, built app) and bench/costs-page-queries.mjs (in process).
//
// Each account bills in two of four regions (A and B) the usage types a replicating registry
// has: storage in both, internet transfer out and cross-AZ transfer in A, replication A -> B,
// cross-AZ in B: six usage types, as Cost Explorer names them (region billing codes). Storage
// grows smoothly over the year; transfer has a weekday shape, noise, and a 3-8x spike on about 2%
// of days. The REGION x USAGE_TYPE rows and the monthly rows are sums of the account rows, as
// Cost Explorer's own groupings are.

const REGIONS = [
  ["us-east-1", "USE1"],
  ["us-west-2", "USW2"],
  ["eu-west-1", "EU"],
  ["ap-southeast-2", "APS2"],
];
export const PAYER_ACCOUNT = "999999999999";

const accountId = (i) => String(100000000000 + i * 7919);

/** The (account, usage type) series: id, usage type, kind, region, base USD a day. */
export function benchSeries(accounts) {
  const series = [];
  for (let i = 0; i < accounts; i++) {
    const [a, codeA] = REGIONS[i % 4];
    const [b, codeB] = REGIONS[(i + 1 + (i % 3)) % 4];
    // Long-tailed account sizes: a few large, many small.
    const size = 40 / (1 + (i % 17)) + (i % 5);
    series.push(
      [accountId(i), `${codeA}-TimedStorage-ByteHrs`, "storage", a, size * 0.6],
      [accountId(i), `${codeA}-DataTransfer-Out-Bytes`, "transfer", a, size * 1.5],
      [accountId(i), `${codeA}-DataTransfer-Regional-Bytes`, "transfer", a, size * 0.05],
      [accountId(i), `${codeA}-${codeB}-AWS-Out-Bytes`, "transfer", a, size * 0.3],
      [accountId(i), `${codeB}-TimedStorage-ByteHrs`, "storage", b, size * 0.3],
      [accountId(i), `${codeB}-DataTransfer-Regional-Bytes`, "transfer", b, size * 0.02],
    );
  }
  return series;
}

/**
 * Loads `days` days of daily rows ending yesterday (today is never billed yet), the monthly rows,
 * a forecast, the accounts' names, the Cost Explorer setting and one finished cost read.
 * `query(text, params)` runs SQL on the bench database. Returns the row counts.
 */
export async function loadCostYear(query, { accounts = 100, days = 365, today = new Date() } = {}) {
  const day = today.toISOString().slice(0, 10);
  const series = benchSeries(accounts);
  const ids = [...new Set(series.map((s) => s[0]))];
  await query(`SELECT setseed(0.42)`);
  await query(
    `INSERT INTO "AwsAccount" ("id", "name", "environment", "roleArn", "regions", "source", "updatedAt")
     SELECT id, 'team-' || n || CASE WHEN n % 3 = 0 THEN '-prod' ELSE '-dev' END, CASE WHEN n % 3 = 0 THEN 'prod' ELSE 'dev' END,
            'arn:aws:iam::' || id || ':role/PortwatchReadOnly', ARRAY['us-east-1'], 'config', now()
       FROM unnest($1::text[]) WITH ORDINALITY AS x(id, n)`,
    [ids],
  );
  await query(
    `INSERT INTO "CollectionRun" ("id", "status", "trigger", "requestedBy", "createdAt", "startedAt", "finishedAt", "costExplorerRequests", "targetsTotal", "targetsDone")
     VALUES (1, 'complete', 'cli', 'bench', now(), now(), now(), 38, 1, 1)`,
  );
  await query(
    `INSERT INTO "CollectionTarget" ("runId", "kind", "accountId", "region", "status", "startedAt", "finishedAt", "calls")
     VALUES (1, 'cost', $1, 'global', 'done', now(), now(), 38)`,
    [PAYER_ACCOUNT],
  );
  await query(`INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES ('costExplorer', $1::jsonb, now())`, [
    JSON.stringify({ roleArn: `arn:aws:iam::${PAYER_ACCOUNT}:role/PortwatchCostReader`, lookbackDays: days }),
  ]);
  await query(`CREATE TEMP TABLE bench_series (account text, usage_type text, kind text, region text, base float8)`);
  await query(`INSERT INTO bench_series SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[])`, [0, 1, 2, 3, 4].map((c) => series.map((s) => s[c])));
  // Daily, per account: storage grows 50% over the year; transfer is quieter at weekends, noisy, and spikes now and then.
  const daily = await query(
    `INSERT INTO "CostDaily" ("dimension", "key", "usageType", "date", "amount", "amountUnit", "quantity", "quantityUnit", "estimated", "runId")
     SELECT 'LINKED_ACCOUNT', s.account, s.usage_type, d::date, round(v::numeric, 10), 'USD', round((v * 10)::numeric, 10),
            CASE s.kind WHEN 'storage' THEN 'GB-Mo' ELSE 'GB' END, d::date >= $1::date - 2, 1
       FROM bench_series s
       CROSS JOIN generate_series($1::date - $2::int, $1::date - 1, interval '1 day') AS d
       CROSS JOIN LATERAL (SELECT CASE s.kind
                 WHEN 'storage' THEN s.base * (1 + 0.5 * (1 - ($1::date - d::date) / $2::float8))
                 ELSE s.base * (CASE WHEN extract(isodow FROM d) >= 6 THEN 0.55 ELSE 1.18 END) * (0.7 + 0.6 * random())
                      * (CASE WHEN random() < 0.02 THEN 3 + 5 * random() ELSE 1 END) END AS v) x`,
    [day, days],
  );
  // Cost Explorer's REGION grouping of the same money.
  await query(
    `INSERT INTO "CostDaily" ("dimension", "key", "usageType", "date", "amount", "amountUnit", "quantity", "quantityUnit", "estimated", "runId")
     SELECT 'REGION', s.region, c."usageType", c."date", sum(c."amount"), 'USD', sum(c."quantity"), min(c."quantityUnit"), bool_or(c."estimated"), 1
       FROM "CostDaily" c JOIN bench_series s ON s.account = c."key" AND s.usage_type = c."usageType"
      WHERE c."dimension" = 'LINKED_ACCOUNT' GROUP BY s.region, c."usageType", c."date"`,
  );
  const monthly = await query(
    `INSERT INTO "CostMonthly" ("dimension", "key", "usageType", "month", "amount", "amountUnit", "quantity", "quantityUnit", "estimated", "runId")
     SELECT "dimension", "key", "usageType", date_trunc('month', "date")::date, sum("amount"), 'USD', sum("quantity"), min("quantityUnit"), bool_or("estimated"), 1
       FROM "CostDaily" GROUP BY "dimension", "key", "usageType", date_trunc('month', "date")`,
  );
  await query(`INSERT INTO "CostUsageType" ("usageType", "firstSeenRunId", "lastSeenRunId") SELECT DISTINCT usage_type, 1, 1 FROM bench_series`);
  // This month's rest and next month, about what the last 30 days ran at.
  await query(
    `WITH rate AS (SELECT sum("amount") / 30 AS r FROM "CostDaily" WHERE "dimension" = 'LINKED_ACCOUNT' AND "date" >= $1::date - 30)
     INSERT INTO "CostForecast" ("runId", "startDate", "endDate", "mean", "lower", "upper", "unit")
     SELECT 1, s, e, r * (e - s), r * (e - s) * 0.9, r * (e - s) * 1.1, 'USD' FROM rate,
            (VALUES ($1::date, (date_trunc('month', $1::date) + interval '1 month')::date),
                    ((date_trunc('month', $1::date) + interval '1 month')::date, (date_trunc('month', $1::date) + interval '2 months')::date)) AS p(s, e)`,
    [day],
  );
  await query(`DROP TABLE bench_series`);
  await query(`VACUUM ANALYZE "CostDaily"`);
  await query(`VACUUM ANALYZE "CostMonthly"`);
  return { series: series.length, dailyRows: daily.rowCount, monthlyRows: monthly.rowCount };
}
