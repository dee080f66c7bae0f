import "server-only";
import { getDb } from "./client";

export interface AwsAccountRow {
  id: string;
  name: string;
  environment: string;
  roleArn: string;
  regions: string[];
  enabled: boolean;
  source: "config" | "organizations" | "ui";
  updatedAt: Date;
}

export async function listAwsAccounts(): Promise<AwsAccountRow[]> {
  return getDb().awsAccount.findMany({
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: { id: true, name: true, environment: true, roleArn: true, regions: true, enabled: true, source: true, updatedAt: true },
  });
}

export async function countAwsAccounts(): Promise<number> {
  return getDb().awsAccount.count();
}
