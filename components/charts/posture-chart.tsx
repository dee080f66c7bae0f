"use client";

import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";

export interface PostureSeries {
  id: string;
  name: string;
}

export interface PostureDay {
  /** YYYY-MM-DD (UTC). */
  day: string;
  /** Framework id -> score in percent (0-100, floored to 0.1); null when nothing was judged that day (a gap). */
  scores: Record<string, number | null>;
}

// Each line differs in colour and in dash pattern, so the series stay apart without colour.
const STYLES = [
  { stroke: "#1f5fbf", dash: undefined },
  { stroke: "#b42318", dash: "6 3" },
  { stroke: "#1a7f37", dash: "2 3" },
  { stroke: "#6a2fb0", dash: "10 4 2 4" },
  { stroke: "#9a4a00", dash: "14 4" },
  { stroke: "#0b6b6b", dash: "4 2 4 6" },
];

const shortDay = (day: string) => day.slice(5);

/**
 * Score per framework per day. Days without a judged result are null and left as gaps
 * (connectNulls off), never drawn as 0% or joined across.
 */
export function PostureChart({ series, days }: { series: PostureSeries[]; days: PostureDay[] }) {
  return (
    <LineChart responsive data={days} style={{ width: "100%", height: 320 }} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
      <CartesianGrid strokeDasharray="3 3" stroke="#e4e7ec" />
      <XAxis dataKey="day" tickFormatter={shortDay} minTickGap={24} tick={{ fontSize: 12 }} />
      <YAxis domain={[0, 100]} unit="%" width={48} tick={{ fontSize: 12 }} allowDecimals={false} />
      <Tooltip formatter={(value) => (typeof value === "number" ? `${value.toFixed(1)}%` : "n/a")} labelFormatter={(label) => String(label)} />
      <Legend />
      {series.map((s, i) => {
        const style = STYLES[i % STYLES.length];
        return (
          <Line
            key={s.id}
            type="linear"
            name={s.name}
            dataKey={(d: PostureDay) => d.scores[s.id] ?? null}
            stroke={style.stroke}
            strokeDasharray={style.dash}
            strokeWidth={2}
            dot={{ r: 2 }}
            activeDot={{ r: 4 }}
            connectNulls={false}
            isAnimationActive={false}
          />
        );
      })}
    </LineChart>
  );
}
