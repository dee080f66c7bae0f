"use client";

import { Bar, CartesianGrid, Cell, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from "recharts";

export interface CostChartSeries {
  id: string;
  name: string;
}

export interface CostChartPoint {
  /** YYYY-MM-DD (a day) or YYYY-MM-01 (a month), UTC. */
  period: string;
  /** Series id -> USD. Empty for a period that was not collected: drawn as a gap, never as $0. */
  values: Record<string, number>;
  /** Cost Explorer marked some of the period's cost as estimated. */
  estimated: boolean;
  /** USD of the period, drawn as a marker, when the period has an anomaly. */
  anomaly?: number | null;
}

// Distinct hues in a fixed order (storage, data transfer out, inter-region, other for categories);
// the grey is kept for the "other" series of accounts and regions.
const COLOURS = ["#1f5fbf", "#d97706", "#1a7f37", "#6a2fb0", "#0b6b6b", "#c11574", "#7a4a00", "#475467", "#2e90fa"];
const OTHER_COLOUR = "#98a2b3";
const ANOMALY_COLOUR = "#b42318";

const usd = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 2 });
const usdAxis = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", notation: "compact", maximumFractionDigits: 1 });

/**
 * Cost stacked by series per period (bars), with an optional marker on the days found anomalous.
 * Estimated periods are drawn paler. The exact figures are in the table under each chart.
 */
export function CostStackedChart({
  series,
  points,
  granularity,
  otherIds = [],
  height = 320,
}: {
  series: CostChartSeries[];
  points: CostChartPoint[];
  granularity: "day" | "month";
  /** Series drawn grey: the folded "other accounts" and the unknown region. */
  otherIds?: string[];
  height?: number;
}) {
  const tick = (period: string) => (granularity === "month" ? period.slice(0, 7) : period.slice(5));
  const hasAnomalies = points.some((p) => p.anomaly != null);
  let colour = 0;
  const colours = series.map((s) => (otherIds.includes(s.id) ? OTHER_COLOUR : COLOURS[colour++ % COLOURS.length]));
  return (
    <ComposedChart responsive data={points} style={{ width: "100%", height }} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
      <CartesianGrid strokeDasharray="3 3" stroke="#e4e7ec" vertical={false} />
      <XAxis dataKey="period" tickFormatter={tick} minTickGap={16} tick={{ fontSize: 12 }} />
      <YAxis width={64} tick={{ fontSize: 12 }} tickFormatter={(v: number) => usdAxis.format(v)} />
      <Tooltip
        formatter={(value) => (typeof value === "number" ? `${usd.format(value)} USD` : "not collected")}
        labelFormatter={(label) => {
          const point = points.find((p) => p.period === label);
          return `${tick(String(label))}${point?.estimated ? " (estimated)" : ""}`;
        }}
      />
      <Legend />
      {series.map((s, i) => (
        <Bar key={s.id} dataKey={(p: CostChartPoint) => p.values[s.id] ?? null} name={s.name} stackId="cost" fill={colours[i]} isAnimationActive={false}>
          {points.map((p) => (
            <Cell key={p.period} fillOpacity={p.estimated ? 0.5 : 1} />
          ))}
        </Bar>
      ))}
      {hasAnomalies ? (
        <Line
          dataKey={(p: CostChartPoint) => p.anomaly ?? null}
          name="Anomaly (far above trend)"
          // Markers only: a zero-width line (the legend takes its colour from the stroke).
          stroke={ANOMALY_COLOUR}
          strokeWidth={0}
          legendType="diamond"
          dot={{ r: 5, fill: ANOMALY_COLOUR, stroke: "#fff", strokeWidth: 1 }}
          activeDot={{ r: 6, fill: ANOMALY_COLOUR }}
          connectNulls={false}
          isAnimationActive={false}
        />
      ) : null}
    </ComposedChart>
  );
}
