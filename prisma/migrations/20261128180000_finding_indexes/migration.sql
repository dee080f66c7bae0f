-- CreateIndex
CREATE INDEX "Finding_name_validTo_idx" ON "Finding"("name", "validTo");

-- CreateIndex
CREATE INDEX "Finding_validTo_idx" ON "Finding"("validTo");
