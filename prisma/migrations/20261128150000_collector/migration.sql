-- CreateEnum
CREATE TYPE "RunStatus" AS ENUM ('queued', 'running', 'complete', 'partial', 'failed');

-- CreateEnum
CREATE TYPE "RunTrigger" AS ENUM ('schedule', 'manual', 'cli');

-- CreateEnum
CREATE TYPE "TargetKind" AS ENUM ('region', 'cost');

-- CreateEnum
CREATE TYPE "TargetStatus" AS ENUM ('pending', 'running', 'done', 'failed');

-- AlterTable
ALTER TABLE "AwsAccount" ADD COLUMN     "email" TEXT,
ADD COLUMN     "lastTest" JSONB,
ADD COLUMN     "lastTestAt" TIMESTAMP(3),
ADD COLUMN     "orgStatus" TEXT;

-- CreateTable
CREATE TABLE "CollectionRun" (
    "id" SERIAL NOT NULL,
    "status" "RunStatus" NOT NULL DEFAULT 'queued',
    "trigger" "RunTrigger" NOT NULL,
    "requestedById" TEXT,
    "requestedBy" TEXT NOT NULL,
    "scope" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "targetsTotal" INTEGER NOT NULL DEFAULT 0,
    "targetsDone" INTEGER NOT NULL DEFAULT 0,
    "targetsFailed" INTEGER NOT NULL DEFAULT 0,
    "calls" INTEGER NOT NULL DEFAULT 0,
    "throttled" INTEGER NOT NULL DEFAULT 0,
    "failedCalls" INTEGER NOT NULL DEFAULT 0,
    "costExplorerRequests" INTEGER NOT NULL DEFAULT 0,
    "rowsWritten" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CollectionRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CollectionTarget" (
    "id" SERIAL NOT NULL,
    "runId" INTEGER NOT NULL,
    "kind" "TargetKind" NOT NULL,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "status" "TargetStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "workerId" TEXT,
    "heartbeatAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "calls" INTEGER NOT NULL DEFAULT 0,
    "throttled" INTEGER NOT NULL DEFAULT 0,
    "failedCalls" INTEGER NOT NULL DEFAULT 0,
    "errorCount" INTEGER NOT NULL DEFAULT 0,
    "rowsWritten" INTEGER NOT NULL DEFAULT 0,
    "errorName" TEXT,
    "errorOperation" TEXT,
    "error" TEXT,

    CONSTRAINT "CollectionTarget_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CollectionError" (
    "id" BIGSERIAL NOT NULL,
    "runId" INTEGER NOT NULL,
    "targetId" INTEGER,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "resource" TEXT,
    "errorName" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CollectionError_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Registry" (
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "validFrom" INTEGER NOT NULL,
    "validTo" INTEGER,
    "hash" TEXT NOT NULL,
    "scanType" TEXT,
    "scanRules" JSONB,
    "registryPolicy" TEXT,
    "replicationRules" JSONB,
    "trails" JSONB,
    "guardDutyDetectors" JSONB,
    "vpcs" JSONB,
    "vpcEndpoints" JSONB,
    "inspectorCoverage" JSONB,
    "readErrors" JSONB NOT NULL DEFAULT '{}',
    "repositoryCount" INTEGER NOT NULL DEFAULT 0,
    "imageCount" INTEGER NOT NULL DEFAULT 0,
    "imageBytes" BIGINT NOT NULL DEFAULT 0,
    "collectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Registry_pkey" PRIMARY KEY ("accountId","region","validFrom")
);

-- CreateTable
CREATE TABLE "Repository" (
    "arn" TEXT NOT NULL,
    "validFrom" INTEGER NOT NULL,
    "validTo" INTEGER,
    "hash" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "uri" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "imageTagMutability" TEXT NOT NULL,
    "tagMutabilityExclusions" JSONB,
    "scanOnPush" BOOLEAN NOT NULL,
    "scanFrequency" TEXT,
    "appliedScanFilters" JSONB,
    "encryptionType" TEXT NOT NULL,
    "kmsKey" TEXT,
    "lifecyclePolicy" TEXT,
    "repositoryPolicy" TEXT,
    "tags" JSONB,
    "readErrors" JSONB NOT NULL DEFAULT '{}',
    "imageCount" INTEGER NOT NULL DEFAULT 0,
    "imageBytes" BIGINT NOT NULL DEFAULT 0,
    "latestImageDigest" TEXT,
    "latestPushedAt" TIMESTAMP(3),
    "findingsHash" TEXT,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "Repository_pkey" PRIMARY KEY ("arn","validFrom")
);

-- CreateTable
CREATE TABLE "Image" (
    "repositoryArn" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "validFrom" INTEGER NOT NULL,
    "validTo" INTEGER,
    "hash" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "tags" TEXT[],
    "sizeBytes" BIGINT NOT NULL,
    "pushedAt" TIMESTAMP(3) NOT NULL,
    "lastPulledAt" TIMESTAMP(3),
    "manifestMediaType" TEXT,
    "artifactMediaType" TEXT,
    "scanStatus" TEXT,
    "scanDescription" TEXT,
    "scanCompletedAt" TIMESTAMP(3),
    "severityCounts" JSONB,
    "layers" JSONB,
    "deletedAt" TIMESTAMP(3),

    CONSTRAINT "Image_pkey" PRIMARY KEY ("repositoryArn","digest","validFrom")
);

-- CreateTable
CREATE TABLE "Finding" (
    "repositoryArn" TEXT NOT NULL,
    "imageDigest" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "validFrom" INTEGER NOT NULL,
    "validTo" INTEGER,
    "hash" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "packageName" TEXT,
    "packageVersion" TEXT,
    "fixedInVersion" TEXT,
    "uri" TEXT,
    "description" TEXT,
    "score" DOUBLE PRECISION,

    CONSTRAINT "Finding_pkey" PRIMARY KEY ("repositoryArn","imageDigest","key","validFrom")
);

-- CreateTable
CREATE TABLE "KmsKey" (
    "arn" TEXT NOT NULL,
    "validFrom" INTEGER NOT NULL,
    "validTo" INTEGER,
    "hash" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "keyManager" TEXT,
    "keyState" TEXT,
    "rotationEnabled" BOOLEAN,
    "readErrors" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "KmsKey_pkey" PRIMARY KEY ("arn","validFrom")
);

-- CreateTable
CREATE TABLE "CostDaily" (
    "dimension" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "usageType" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "amount" DECIMAL(20,10) NOT NULL,
    "amountUnit" TEXT NOT NULL,
    "quantity" DECIMAL(24,10) NOT NULL,
    "quantityUnit" TEXT,
    "estimated" BOOLEAN NOT NULL,
    "runId" INTEGER NOT NULL,

    CONSTRAINT "CostDaily_pkey" PRIMARY KEY ("dimension","key","usageType","date")
);

-- CreateTable
CREATE TABLE "CostMonthly" (
    "dimension" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "usageType" TEXT NOT NULL,
    "month" DATE NOT NULL,
    "amount" DECIMAL(20,10) NOT NULL,
    "amountUnit" TEXT NOT NULL,
    "quantity" DECIMAL(24,10) NOT NULL,
    "quantityUnit" TEXT,
    "estimated" BOOLEAN NOT NULL,
    "runId" INTEGER NOT NULL,

    CONSTRAINT "CostMonthly_pkey" PRIMARY KEY ("dimension","key","usageType","month")
);

-- CreateTable
CREATE TABLE "CostForecast" (
    "runId" INTEGER NOT NULL,
    "startDate" DATE NOT NULL,
    "endDate" DATE NOT NULL,
    "mean" DECIMAL(20,10) NOT NULL,
    "lower" DECIMAL(20,10),
    "upper" DECIMAL(20,10),
    "unit" TEXT NOT NULL,

    CONSTRAINT "CostForecast_pkey" PRIMARY KEY ("runId","startDate","endDate")
);

-- CreateTable
CREATE TABLE "CostUsageType" (
    "usageType" TEXT NOT NULL,
    "firstSeenRunId" INTEGER NOT NULL,
    "lastSeenRunId" INTEGER NOT NULL,

    CONSTRAINT "CostUsageType_pkey" PRIMARY KEY ("usageType")
);

-- CreateIndex
CREATE INDEX "CollectionRun_status_idx" ON "CollectionRun"("status");

-- CreateIndex
CREATE INDEX "CollectionRun_createdAt_idx" ON "CollectionRun"("createdAt");

-- CreateIndex
CREATE INDEX "CollectionTarget_status_heartbeatAt_idx" ON "CollectionTarget"("status", "heartbeatAt");

-- CreateIndex
CREATE UNIQUE INDEX "CollectionTarget_runId_accountId_region_key" ON "CollectionTarget"("runId", "accountId", "region");

-- CreateIndex
CREATE INDEX "CollectionError_runId_accountId_region_idx" ON "CollectionError"("runId", "accountId", "region");

-- CreateIndex
CREATE INDEX "Registry_validTo_idx" ON "Registry"("validTo");

-- CreateIndex
CREATE INDEX "Repository_accountId_region_validTo_idx" ON "Repository"("accountId", "region", "validTo");

-- CreateIndex
CREATE INDEX "Repository_name_idx" ON "Repository"("name");

-- CreateIndex
CREATE INDEX "Repository_validTo_idx" ON "Repository"("validTo");

-- CreateIndex
CREATE INDEX "Image_accountId_region_validTo_idx" ON "Image"("accountId", "region", "validTo");

-- CreateIndex
CREATE INDEX "Finding_accountId_region_validTo_idx" ON "Finding"("accountId", "region", "validTo");

-- CreateIndex
CREATE INDEX "Finding_severity_idx" ON "Finding"("severity");

-- CreateIndex
CREATE INDEX "KmsKey_accountId_region_validTo_idx" ON "KmsKey"("accountId", "region", "validTo");

-- CreateIndex
CREATE INDEX "CostDaily_date_idx" ON "CostDaily"("date");

-- AddForeignKey
ALTER TABLE "CollectionTarget" ADD CONSTRAINT "CollectionTarget_runId_fkey" FOREIGN KEY ("runId") REFERENCES "CollectionRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CollectionError" ADD CONSTRAINT "CollectionError_runId_fkey" FOREIGN KEY ("runId") REFERENCES "CollectionRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;
