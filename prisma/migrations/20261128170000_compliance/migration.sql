-- CreateEnum
CREATE TYPE "EvaluationStatus" AS ENUM ('running', 'complete', 'failed');

-- CreateTable
CREATE TABLE "Evaluation" (
    "id" SERIAL NOT NULL,
    "runId" INTEGER NOT NULL,
    "status" "EvaluationStatus" NOT NULL DEFAULT 'running',
    "reason" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "asOf" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "resultCount" INTEGER NOT NULL DEFAULT 0,
    "counts" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,

    CONSTRAINT "Evaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ComplianceResult" (
    "evaluationId" INTEGER NOT NULL,
    "framework" TEXT NOT NULL,
    "control" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "accountId" TEXT,
    "region" TEXT,
    "severity" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "checks" JSONB NOT NULL,
    "evidence" JSONB NOT NULL,
    "exceptionId" TEXT,

    CONSTRAINT "ComplianceResult_pkey" PRIMARY KEY ("evaluationId","framework","control","resource")
);

-- CreateTable
CREATE TABLE "ComplianceRollup" (
    "day" DATE NOT NULL,
    "framework" TEXT NOT NULL,
    "control" TEXT NOT NULL,
    "accountId" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "evaluationId" INTEGER NOT NULL,
    "pass" INTEGER NOT NULL DEFAULT 0,
    "fail" INTEGER NOT NULL DEFAULT 0,
    "error" INTEGER NOT NULL DEFAULT 0,
    "manual" INTEGER NOT NULL DEFAULT 0,
    "inherited" INTEGER NOT NULL DEFAULT 0,
    "notApplicable" INTEGER NOT NULL DEFAULT 0,
    "excepted" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ComplianceRollup_pkey" PRIMARY KEY ("day","framework","control","accountId","region")
);

-- CreateTable
CREATE TABLE "ComplianceException" (
    "id" TEXT NOT NULL,
    "framework" TEXT NOT NULL,
    "control" TEXT NOT NULL,
    "accountId" TEXT,
    "region" TEXT,
    "resourcePattern" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdById" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMP(3),
    "revokedBy" TEXT,

    CONSTRAINT "ComplianceException_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Attestation" (
    "id" TEXT NOT NULL,
    "framework" TEXT NOT NULL,
    "control" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "fileName" TEXT,
    "fileType" TEXT,
    "fileData" BYTEA,
    "fileSha256" TEXT,
    "attesterId" TEXT,
    "attester" TEXT NOT NULL,
    "attestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "revokedBy" TEXT,

    CONSTRAINT "Attestation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Evaluation_runId_status_idx" ON "Evaluation"("runId", "status");

-- CreateIndex
CREATE INDEX "ComplianceResult_evaluationId_framework_status_idx" ON "ComplianceResult"("evaluationId", "framework", "status");

-- CreateIndex
CREATE INDEX "ComplianceResult_evaluationId_resource_idx" ON "ComplianceResult"("evaluationId", "resource");

-- CreateIndex
CREATE INDEX "ComplianceRollup_framework_day_idx" ON "ComplianceRollup"("framework", "day");

-- CreateIndex
CREATE INDEX "ComplianceException_framework_control_idx" ON "ComplianceException"("framework", "control");

-- CreateIndex
CREATE INDEX "ComplianceException_expiresAt_idx" ON "ComplianceException"("expiresAt");

-- CreateIndex
CREATE INDEX "Attestation_framework_control_idx" ON "Attestation"("framework", "control");

-- AddForeignKey
ALTER TABLE "ComplianceResult" ADD CONSTRAINT "ComplianceResult_evaluationId_fkey" FOREIGN KEY ("evaluationId") REFERENCES "Evaluation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
