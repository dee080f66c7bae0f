-- AlterTable
ALTER TABLE "Repository" ADD COLUMN     "storedBytes" BIGINT,
ADD COLUMN     "storedBytesExact" BOOLEAN;
