-- CreateEnum
CREATE TYPE "EvidenceExportStatus" AS ENUM ('queued', 'running', 'done', 'failed');

-- CreateTable
CREATE TABLE "SigningKey" (
    "keyId" TEXT NOT NULL,
    "publicKeyPem" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retiredAt" TIMESTAMP(3),

    CONSTRAINT "SigningKey_pkey" PRIMARY KEY ("keyId")
);

-- CreateTable
CREATE TABLE "EvidenceExport" (
    "id" TEXT NOT NULL,
    "status" "EvidenceExportStatus" NOT NULL DEFAULT 'queued',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "progressText" TEXT,
    "framework" TEXT NOT NULL,
    "scope" JSONB NOT NULL,
    "format" TEXT NOT NULL,
    "fileName" TEXT,
    "fileData" BYTEA,
    "fileSha256" TEXT,
    "fileBytes" INTEGER,
    "manifest" JSONB,
    "manifestSha256" TEXT,
    "previousManifestSha256" TEXT,
    "sequence" INTEGER,
    "createdById" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdByRole" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "error" TEXT,

    CONSTRAINT "EvidenceExport_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "EvidenceExport_manifestSha256_key" ON "EvidenceExport"("manifestSha256");

-- CreateIndex
CREATE UNIQUE INDEX "EvidenceExport_sequence_key" ON "EvidenceExport"("sequence");

-- CreateIndex
CREATE INDEX "EvidenceExport_createdAt_id_idx" ON "EvidenceExport"("createdAt", "id");

-- CreateIndex
CREATE INDEX "EvidenceExport_fileSha256_idx" ON "EvidenceExport"("fileSha256");

-- CreateTable
CREATE TABLE "EvidenceChainHead" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "sequence" INTEGER NOT NULL,
    "manifestSha256" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EvidenceChainHead_pkey" PRIMARY KEY ("id")
);
