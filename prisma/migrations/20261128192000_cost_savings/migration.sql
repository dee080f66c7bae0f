-- CreateTable
CREATE TABLE "CostSaving" (
    "runId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "images" INTEGER NOT NULL,
    "bytes" BIGINT NOT NULL,
    "bytesExact" BOOLEAN NOT NULL,
    "monthlyUsd" DECIMAL(20,6),
    "counted" BOOLEAN NOT NULL,
    "method" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CostSaving_pkey" PRIMARY KEY ("runId","kind","resource")
);

-- CreateIndex
CREATE INDEX "CostSaving_runId_monthlyUsd_idx" ON "CostSaving"("runId", "monthlyUsd");
